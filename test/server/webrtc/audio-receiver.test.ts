import { describe, expect, it } from 'vitest';
import { decodeMulaw, encodeMulaw } from '../../../src/dsp/g711.ts';
import { buildRtpPacket } from '../../../src/rtp/rtp-packet.ts';
import { buildTelephoneEvent } from '../../../src/rtp/telephone-event.ts';
import { AudioReceiver, FRAME_SAMPLES, type ReceivedMedia } from '../../../src/server/webrtc/audio-receiver.ts';

const SSRC = 0x1234abcd;
const EVENT_PT = 126;

function receiver(): AudioReceiver {
  return new AudioReceiver({ codec: { name: 'PCMU', payloadType: 0 }, telephoneEventPayloadType: EVENT_PT });
}

/** A ramp of µ-law codes, so every sample tells where it came from. */
function payload(samples: number, first: number): Uint8Array {
  return Uint8Array.from({ length: samples }, (_, i) => (first + i) % 256);
}

function audioPacket(seq: number, timestamp: number, body: Uint8Array): Uint8Array {
  return buildRtpPacket({ payloadType: 0, sequenceNumber: seq, timestamp, ssrc: SSRC, payload: body });
}

function eventPacket(seq: number, timestamp: number, event: number, end: boolean, duration: number): Uint8Array {
  return buildRtpPacket({ payloadType: EVENT_PT, sequenceNumber: seq, timestamp, ssrc: SSRC, payload: buildTelephoneEvent({ event, end, volume: 10, duration }) });
}

function collect(results: ReceivedMedia[]): { samples: Int16Array; frameSizes: number[]; keys: string } {
  const frames = results.flatMap((result) => result.frames);
  const samples = new Int16Array(frames.length * FRAME_SAMPLES);
  frames.forEach((frame, i) => samples.set(frame, i * FRAME_SAMPLES));
  return { samples, frameSizes: frames.map((frame) => frame.length), keys: results.flatMap((result) => result.keys.map((press) => press.key)).join('') };
}

describe('AudioReceiver', () => {
  it('decodes 20 ms PCMU packets into one frame each, in order', () => {
    const rx = receiver();
    const bodies = [0, 1, 2].map((n) => payload(FRAME_SAMPLES, n * 7));
    const out = collect([...bodies.map((body, n) => rx.push(audioPacket(100 + n, 5000 + n * FRAME_SAMPLES, body))), rx.flush()]);
    expect(out.frameSizes).toEqual([FRAME_SAMPLES, FRAME_SAMPLES, FRAME_SAMPLES]);
    const expected = new Int16Array(3 * FRAME_SAMPLES);
    bodies.forEach((body, n) => expected.set(decodeMulaw(body), n * FRAME_SAMPLES));
    expect(out.samples).toEqual(expected);
  });

  it('regroups 30 ms packets into 20 ms frames', () => {
    const rx = receiver();
    const out = collect([...[0, 1, 2].map((n) => rx.push(audioPacket(n, n * 240, payload(240, n * 240)))), rx.flush()]);
    expect(out.frameSizes).toEqual([FRAME_SAMPLES, FRAME_SAMPLES, FRAME_SAMPLES, FRAME_SAMPLES]);
    expect(out.samples).toEqual(decodeMulaw(payload(720, 0)).subarray(0, 4 * FRAME_SAMPLES));
  });

  it('puts reordered packets back in sequence', () => {
    const rx = receiver();
    const order = [0, 2, 1, 3];
    const out = collect(order.map((n) => rx.push(audioPacket(n, n * FRAME_SAMPLES, payload(FRAME_SAMPLES, n * FRAME_SAMPLES)))));
    expect(out.samples).toEqual(decodeMulaw(payload(4 * FRAME_SAMPLES, 0)));
  });

  it('fills a lost packet with silence so sample time follows the timestamps', () => {
    const rx = receiver();
    const sent = [0, 2, 3, 4, 5];
    const tone = encodeMulaw(new Int16Array(FRAME_SAMPLES).fill(1000));
    const out = collect([...sent.map((n) => rx.push(audioPacket(n, n * FRAME_SAMPLES, tone))), rx.flush()]);
    expect(out.samples.length).toBe(6 * FRAME_SAMPLES);
    expect(out.samples.subarray(FRAME_SAMPLES, 2 * FRAME_SAMPLES).every((sample) => sample === 0)).toBe(true);
    expect(out.samples.subarray(2 * FRAME_SAMPLES).every((sample) => sample !== 0)).toBe(true);
  });

  it('does not replay a long silence such as a hold as samples', () => {
    const rx = receiver();
    const out = collect([rx.push(audioPacket(0, 0, payload(FRAME_SAMPLES, 0))), rx.push(audioPacket(1, 8000 * 60, payload(FRAME_SAMPLES, 0))), rx.flush()]);
    expect(out.samples.length).toBe(2 * FRAME_SAMPLES);
  });

  it('reports a telephone-event once despite its repeated end packets', () => {
    const rx = receiver();
    const results = [
      rx.push(audioPacket(1, 0, payload(FRAME_SAMPLES, 0))),
      rx.push(eventPacket(2, 160, 5, false, 160)),
      rx.push(eventPacket(3, 160, 5, false, 320)),
      rx.push(eventPacket(4, 160, 5, true, 480)),
      rx.push(eventPacket(5, 160, 5, true, 480)),
      rx.push(eventPacket(6, 160, 5, true, 480)),
      rx.push(eventPacket(7, 800, 11, true, 400)),
      rx.flush(),
    ];
    expect(collect(results).keys).toBe('5#');
  });

  it('reports at flush a key whose end never came', () => {
    const rx = receiver();
    expect(collect([rx.push(eventPacket(1, 0, 9, false, 160)), rx.flush()]).keys).toBe('9');
  });

  it('counts and drops bytes that are not RTP, broken events and other payload types', () => {
    const rx = receiver();
    const broken = buildRtpPacket({ payloadType: EVENT_PT, sequenceNumber: 2, timestamp: 0, ssrc: SSRC, payload: Uint8Array.of(1, 2) });
    const opus = buildRtpPacket({ payloadType: 111, sequenceNumber: 3, timestamp: 0, ssrc: SSRC, payload: payload(40, 0) });
    const results = [rx.push(Uint8Array.of(0x80, 0, 1)), rx.push(Uint8Array.of(0x40, ...new Array(15).fill(0))), rx.push(broken), rx.push(opus), rx.flush()];
    expect(collect(results)).toEqual({ samples: new Int16Array(0), frameSizes: [], keys: '' });
    expect(rx.stats).toEqual({ malformed: 3, unknownPayloadType: 1 });
  });
});
