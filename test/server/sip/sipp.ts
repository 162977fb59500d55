/**
 * Runs SIPp (the `sip-tester` package) as a real SIP client against the
 * service: one call (-m 1), bounded by SIPp's own -timeout and by a kill
 * here, with a free media port so parallel runs never collide.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';

export const SIPP_FIXTURES = join(import.meta.dirname, '../../fixtures/sipp');

export interface SippRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SippOptions {
  /** Scenario file name under test/fixtures/sipp. */
  scenario: string;
  port: number;
  transport?: 'u1' | 't1';
  /** Directory SIPp runs in (relative media files are read from it). */
  cwd?: string;
  /** -key name value pairs for the scenario's [name] keywords. */
  keys?: Record<string, string>;
  timeoutS?: number;
}

/** An even UDP port that was free a moment ago (SIPp also uses the ones above it for RTCP and streams). */
export async function freeUdpPort(even = false): Promise<number> {
  for (;;) {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    socket.close();
    if ((!even || port % 2 === 0) && port < 65000) return port;
  }
}

export async function runSipp(options: SippOptions): Promise<SippRun> {
  const timeoutS = options.timeoutS ?? 20;
  const mediaPort = await freeUdpPort(true);
  // SIPp's own SIP port defaults to 5060: parallel runs need their own.
  const localPort = await freeUdpPort();
  const args = [
    `127.0.0.1:${options.port}`,
    '-sf', join(SIPP_FIXTURES, options.scenario),
    '-m', '1',
    '-t', options.transport ?? 'u1',
    '-i', '127.0.0.1',
    '-p', String(localPort),
    '-mi', '127.0.0.1',
    '-mp', String(mediaPort),
    '-timeout', `${timeoutS}s`,
    '-timeout_error',
    '-nostdin',
    ...Object.entries(options.keys ?? {}).flatMap(([name, value]) => ['-key', name, value]),
  ];
  return new Promise((resolve) => {
    const child = spawn('sipp', args, { cwd: options.cwd ?? SIPP_FIXTURES, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), (timeoutS + 10) * 1000);
    child.on('error', (error) => (stderr += `cannot run sipp: ${error.message}`));
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Resolves once `condition` holds, checking every 20 ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
