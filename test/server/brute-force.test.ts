import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeCaller } from './test-callers.ts';
import { startTestServer, wrongPin, type TestServer } from './test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.directory.setPolicy({ maxLogonAttempts: { local: 4, global: 50 } });
});
afterAll(() => server.close());

/** Dials in as leader and keys wrong PINs until the call ends; resolves with the call's events. */
async function guessUntilDropped(caller: NativeCaller, guess: string): Promise<void> {
  await caller.start(8000);
  await caller.press('123456#');
  await caller.waitForState('leader-question');
  await caller.press('*');
  for (let attempt = 0; attempt < 3; attempt++) {
    await caller.waitForState('collecting-pin');
    const checked = caller.events.length;
    await caller.press(`${guess}#`);
    const outcome = await caller.waitFor(
      (e) => caller.events.indexOf(e) >= checked && e.event === 'state-entered' && e.state !== 'verifying-pin',
    );
    if (outcome.state !== 'collecting-pin') break;
  }
}

describe('PIN brute force over parallel sockets', () => {
  it('locks the organizer after the policy’s failures, whichever sockets they come from', async () => {
    const guessers = Array.from({ length: 6 }, () => new NativeCaller(server.url, { speed: 2 }));
    await Promise.all(guessers.map((caller, index) => guessUntilDropped(caller, wrongPin(server.pin).slice(0, -1) + String(index))));
    const checks = server.lines.filter((line) => / pin-checked /.test(line));
    // Failures are counted exactly across sockets: four rejections, then every attempt meets the lock.
    expect(checks.filter((line) => line.endsWith('pin-checked rejected'))).toHaveLength(4);
    expect(checks.filter((line) => line.endsWith('pin-checked locked')).length).toBeGreaterThan(0);
    expect(await server.directory.getStatus('amos')).toMatchObject({ lockedOut: true, lockKind: 'local' });
    for (const caller of guessers) caller.close();

    // Even the right PIN is refused now, and the caller is sent away.
    const organizer = new NativeCaller(server.url, { speed: 2 });
    await organizer.start(8000);
    await organizer.press('123456#');
    await organizer.waitForState('leader-question');
    await organizer.press('*');
    await organizer.waitForState('collecting-pin');
    await organizer.press(`${server.pin}#`);
    await organizer.waitForState('locked-out');
    expect(await organizer.waitFor('hung-up', 15_000)).toMatchObject({ reason: 'locked-out' });
    expect((await organizer.closed).code).toBe(1000);
    expect(server.lines.join('\n')).not.toContain(server.pin);
  }, 30_000);
});
