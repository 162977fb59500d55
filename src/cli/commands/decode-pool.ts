/**
 * Decodes files on worker threads, a pool of `threads` workers that each
 * take the next file when done, and hands the outcomes over in the order
 * of `files`: each as soon as it and every file before it are decoded.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecodeSettings, FileOutcome } from './decode-file.ts';
import type { DecodeJob, DecodeReply } from './decode-worker.ts';

/** The bundle build (scripts/build-cli.js) points this at the worker's built file. */
const WORKER_URL = new URL('./decode-worker.ts', import.meta.url);

/**
 * From source (tsx or vitest), a worker registers tsx itself before loading
 * the TypeScript worker, as bin/dialin-sim.js does.
 */
const TSX_BOOTSTRAP = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ register }) => {
  register();
  return import(workerData.module);
});`;

/** tsx's ESM API, by its package exports (its CommonJS build cannot register ESM hooks in a worker). */
function tsxApiUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
}

function startWorker(settings: DecodeSettings): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { workerData: { settings } });
  return new Worker(TSX_BOOTSTRAP, { eval: true, workerData: { settings, tsx: tsxApiUrl(), module: WORKER_URL.href } });
}

export function decodeInWorkers(
  files: readonly string[],
  settings: DecodeSettings,
  threads: number,
  onOutcome: (outcome: FileOutcome) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const outcomes: (FileOutcome | undefined)[] = [];
    const workers: Worker[] = [];
    let nextJob = 0;
    let nextOutcome = 0;
    const stop = (error?: Error) => {
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    const give = (worker: Worker) => {
      if (nextJob < files.length) worker.postMessage({ index: nextJob, file: files[nextJob++]! } satisfies DecodeJob);
    };
    for (let i = 0; i < Math.min(threads, files.length); i++) {
      const worker = startWorker(settings);
      workers.push(worker);
      worker.on('message', (reply: DecodeReply) => {
        if ('bug' in reply) {
          const bug = new Error(`decoding ${files[reply.index]} failed`);
          bug.stack = reply.bug;
          stop(bug);
          return;
        }
        outcomes[reply.index] = reply.outcome;
        give(worker);
        try {
          for (let ready = outcomes[nextOutcome]; ready; ready = outcomes[nextOutcome]) {
            outcomes[nextOutcome++] = undefined;
            onOutcome(ready);
          }
        } catch (error) {
          stop(error as Error);
          return;
        }
        if (nextOutcome === files.length) stop();
      });
      worker.on('error', (error) => stop(error));
      worker.on('exit', (code) => {
        if (nextOutcome < files.length) stop(new Error(`a decode worker exited (code ${code}) before all files were decoded`));
      });
      give(worker);
    }
  });
}
