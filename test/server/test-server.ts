/**
 * A real server on 127.0.0.1 port 0 for socket tests: in-memory directory
 * with the demo deployment, prompts played 4x faster than real time and
 * short flow timeouts so a file stays within seconds. Audio is still real
 * PCM in 20 ms frames, which callers may key faster than real time.
 */
import { startServer, type RunningServer } from '../../src/server/server.ts';
import type { ServerOptions } from '../../src/server/server-options.ts';

export interface TestServer extends RunningServer {
  /** Every log line the server wrote. */
  readonly lines: string[];
  /** The demo organizer's PIN (always generated on a fresh in-memory directory). */
  readonly pin: string;
}

export async function startTestServer(overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  const lines: string[] = [];
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    db: ':memory:',
    playbackSpeed: 4,
    // Test callers key at up to twice real time; the 1 s default is tested on its own.
    maxAudioLeadMs: 5000,
    flow: {
      firstDigitTimeoutMs: 3000,
      interDigitTimeoutMs: 2000,
      leaderQuestionTimeoutMs: 2000,
      pinFirstDigitTimeoutMs: 3000,
      pinInterDigitTimeoutMs: 2000,
    },
    log: (line) => lines.push(line),
    ...overrides,
  });
  if (server.demoPin === undefined) throw new Error('expected a fresh demo PIN');
  return Object.assign(server, { lines, pin: server.demoPin });
}

/** A wrong PIN of the same length as `pin`. */
export function wrongPin(pin: string): string {
  return pin
    .split('')
    .map((d) => String((Number(d) + 1) % 10))
    .join('');
}
