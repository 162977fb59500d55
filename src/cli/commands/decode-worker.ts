/**
 * A worker thread of `dialin-sim decode`'s pool: decodes the files it is
 * sent, one at a time, and posts each outcome back. A bug is posted as its
 * stack, for the main thread to report as an internal error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeFile, type DecodeSettings } from './decode-file.ts';

/** Main thread to worker: decode this file (`index` is its place on the command line). */
export interface DecodeJob {
  index: number;
  file: string;
}

/** Worker to main thread. */
export type DecodeReply =
  | { index: number; outcome: Awaited<ReturnType<typeof decodeFile>> }
  | { index: number; bug: string };

const port = parentPort;
if (port) {
  const settings = (workerData as { settings: DecodeSettings }).settings;
  port.on('message', ({ index, file }: DecodeJob) => {
    decodeFile(file, settings).then(
      (outcome) => port.postMessage({ index, outcome } satisfies DecodeReply),
      (error: unknown) => port.postMessage({ index, bug: (error as Error).stack ?? String(error) } satisfies DecodeReply),
    );
  });
}
