/**
 * `dialin-sim run --record DIR`: each call of a run as a stereo WAV file
 * (left: the caller, right: the IVR) and an SVG picture, in
 * DIR/<scenario file name>/<call id>.wav and .svg.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { renderCallPicture } from './call-picture.ts';
import { recordingToWav } from './call-recording.ts';
import type { ScenarioResult } from '../scenario-result.ts';

export function recordingFolder(dir: string, scenarioFile: string): string {
  return join(dir, basename(scenarioFile).replace(/\.ya?ml$/i, ''));
}

/** Writes the files; returns their paths. */
export async function writeRecordings(dir: string, result: ScenarioResult): Promise<string[]> {
  const folder = recordingFolder(dir, result.file);
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const recording of result.recordings ?? []) {
    const wav = join(folder, `${recording.call}.wav`);
    const svg = join(folder, `${recording.call}.svg`);
    await writeFile(wav, recordingToWav(recording));
    await writeFile(svg, renderCallPicture({ recording, timeline: result.timeline, scenarioName: result.name, scenarioFile: result.file }));
    written.push(wav, svg);
  }
  return written;
}
