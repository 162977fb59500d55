import { describe, expect, it } from 'vitest';
import { createDigitDecoder } from '../../../src/engines/create-digit-decoder.ts';
import { renderCallPicture } from '../../../src/scenario/record/call-picture.ts';
import { CallRecorder, GAP_KEEP_MS, recordingToWav, sampleAt } from '../../../src/scenario/record/call-recording.ts';
import { runScenarioFile } from '../../../src/scenario/run/run-scenario.ts';
import { decodeWav } from '../../../src/wav/wav-reader.ts';
import { allElements, parseXml } from '../helpers.ts';

function decodeDigits(samples: Int16Array): string {
  const decoder = createDigitDecoder('native', 8000);
  const events = [];
  for (let i = 0; i < samples.length; i += 160) events.push(...decoder.push(samples.subarray(i, i + 160)));
  events.push(...decoder.flush());
  return events.map((event) => event.digit).join('');
}

describe('call recordings', async () => {
  const result = await runScenarioFile('scenarios/organizer-pin-starts-meeting-admits-lobby.yaml', { record: true });
  const amos = result.recordings!.find((recording) => recording.call === 'amos')!;
  const guest = result.recordings!.find((recording) => recording.call === 'guest')!;

  it('writes a stereo 8 kHz 16-bit WAV whose header reads back', async () => {
    const bytes = recordingToWav(amos);
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(bytes.readUInt16LE(20)).toBe(1);
    expect(bytes.readUInt16LE(22)).toBe(2);
    expect(bytes.readUInt32LE(24)).toBe(8000);
    expect(bytes.readUInt16LE(34)).toBe(16);
    const left = await decodeWav(bytes, { channel: 1 });
    expect(left).toMatchObject({ channels: 2, sampleRate: 8000, sampleCount: amos.caller.length });
    expect(Array.from(left.samples.subarray(0, 4000))).toEqual(Array.from(amos.caller.subarray(0, 4000)));
  });

  it('has the pressed keys on the left channel, found again by the real decoder', async () => {
    const left = await decodeWav(recordingToWav(amos), { channel: 1 });
    expect(decodeDigits(left.samples)).toBe('123456#*24680#');
    expect(decodeDigits((await decodeWav(recordingToWav(guest), { channel: 1 })).samples)).toBe('123456##');
  });

  it('has the prompts and hold music, and no keys, on the right channel', async () => {
    const right = await decodeWav(recordingToWav(guest), { channel: 2 });
    expect(decodeDigits(right.samples)).toBe('');
    let energy = 0;
    for (const sample of right.samples) energy += sample * sample;
    expect(Math.sqrt(energy / right.samples.length)).toBeGreaterThan(300);
  });

  it('shortens long quiet stretches and keeps scenario time mapped across the cut', () => {
    // The guest holds from about 0:10 to 0:45: more than LONG_GAP_MS with nothing happening.
    expect(guest.cuts).toHaveLength(1);
    const cut = guest.cuts[0]!;
    expect(cut.skippedMs).toBeGreaterThan(20_000);
    const total = guest.endMs - guest.startMs;
    expect(guest.caller.length).toBe(Math.round(((total - cut.skippedMs) * 8000) / 1000));
    // A moment after the cut maps to its place in the shortened recording.
    const cutMs = guest.startMs + (cut.atSample * 1000) / 8000;
    expect(sampleAt(guest, cutMs + cut.skippedMs + 1000)).toBe(cut.atSample + 8000);
    expect(sampleAt(guest, cutMs + cut.skippedMs / 2)).toBe(cut.atSample);
  });

  it('records an hour-long lobby in a few seconds of audio', async () => {
    const long = await runScenarioFile('scenarios/one-hour-lobby-admitted-when-organizer-arrives.yaml', { record: true });
    const early = long.recordings!.find((recording) => recording.call === 'early')!;
    expect(early.endMs - early.startMs).toBeGreaterThan(3_600_000);
    expect(early.caller.length / 8000).toBeLessThan(60);
    expect(early.cuts.reduce((sum, cut) => sum + cut.skippedMs, 0)).toBeGreaterThan(3_500_000);
  });

  it('draws an SVG that parses and shows the digits, prompts and states', () => {
    const svg = renderCallPicture({ recording: amos, timeline: result.timeline, scenarioName: result.name, scenarioFile: result.file });
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    const texts = allElements(root).filter((element) => element.name === 'text').map((element) => element.text);
    for (const digit of '123456#*24680#') expect(texts).toContain(digit);
    expect(texts.filter((text) => /^[0-9*#]$/.test(text))).toHaveLength(14);
    expect(texts).toEqual(expect.arrayContaining(['welcome', 'meeting-started', 'verifying-pin', 'call amos', '✓ state in-meeting']));
    const paths = allElements(root).filter((element) => element.name === 'path');
    expect(paths).toHaveLength(2);
    expect(texts.some((text) => text.startsWith('0:4'))).toBe(true);
  });

  it('marks a cut in the picture with the time left out', () => {
    const svg = renderCallPicture({ recording: guest, timeline: result.timeline, scenarioName: result.name, scenarioFile: result.file });
    const texts = allElements(parseXml(svg)).filter((element) => element.name === 'text').map((element) => element.text);
    expect(texts.some((text) => /^\d+(\.\d+)?s not shown$/.test(text))).toBe(true);
    expect(texts).toContain('♪ hold music');
  });

  it('caps the kept part of a cut stretch at both ends', () => {
    const recorder = new CallRecorder('x', 8000, 0);
    const frame = new Int16Array(160).fill(100);
    recorder.append(frame, frame);
    recorder.cut(60_000);
    recorder.append(undefined, frame);
    const recording = recorder.finish();
    expect(recording.cuts).toEqual([{ atSample: 160, skippedMs: 60_000 }]);
    expect(recording.endMs).toBe(60_040);
    expect(Array.from(recording.caller.subarray(160))).toEqual(new Array(160).fill(0));
    expect(GAP_KEEP_MS).toBeLessThan(10_000);
  });
});
