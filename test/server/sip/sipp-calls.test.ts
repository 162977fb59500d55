/**
 * SIPp, a SIP client nobody here wrote, dials the SIP edge on loopback: the
 * conference ID and PIN as in-band mu-law audio and as RFC 2833 pcap
 * replays, a CANCEL before the answer, and a BYE in the middle of the PIN.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../src/session/call-events.ts';
import { REPEAT_CONFERENCE, startSipTestService, TEST_PIN, type SipTestService } from './sip-test-service.ts';
import { runSipp } from './sipp.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/dialin-sim.js');

/** Writes keys.wav as `dialin-sim synth --encoding mulaw` makes it, in a fresh directory SIPp runs in. */
async function keysFile(keys: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-keys-'));
  await run(process.execPath, [BIN, 'synth', keys, '-o', join(dir, 'keys.wav'), '--encoding', 'mulaw', '--on', '80', '--off', '80']);
  return dir;
}

const heardKeys = (events: readonly CallEvent[]) =>
  events.flatMap((e) => (e.event === 'digit-heard' ? [e.digit] : [])).join('');
const statesOf = (events: readonly CallEvent[]) => events.flatMap((e) => (e.event === 'state-entered' ? [e.state] : []));

describe('SIPp callers', () => {
  let service: SipTestService;
  const dirs: string[] = [];

  beforeAll(async () => {
    service = await startSipTestService();
  });
  afterAll(async () => {
    await service.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** The one session this test's SIPp call made. */
  const onlyNewCall = (before: Set<string>): CallEvent[] => {
    const fresh = [...service.events.keys()].filter((id) => !before.has(id));
    expect(fresh).toHaveLength(1);
    return service.events.get(fresh[0]!)!;
  };

  for (const transport of ['u1', 't1'] as const) {
    it(`starts the meeting on the conference ID and PIN keyed as in-band audio over ${transport === 'u1' ? 'UDP' : 'TCP'}`, async () => {
      const dir = await keysFile(`123456#*${TEST_PIN}#`);
      dirs.push(dir);
      const before = new Set(service.events.keys());
      const result = await runSipp({ scenario: 'uac-keys-pin-in-band.xml', port: service.udpPort, transport, cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      const events = onlyNewCall(before);
      expect(events[0]).toMatchObject({ event: 'call-started', protocol: transport === 'u1' ? 'sip-udp' : 'sip-tcp', sampleRate: 8000 });
      expect(heardKeys(events)).toBe(`123456#*${TEST_PIN}#`);
      expect(events.filter((e) => e.event === 'digit-heard').every((e) => e.event === 'digit-heard' && e.source === 'in-band')).toBe(true);
      expect(statesOf(events)).toEqual(expect.arrayContaining(['leader-question', 'collecting-pin', 'in-meeting']));
      expect(events).toContainEqual(expect.objectContaining({ event: 'meeting-started', conferenceId: '123456' }));
      expect(events.at(-1)).toMatchObject({ event: 'hung-up', reason: 'caller' });
      const log = service.lines.join('\n');
      expect(log).toMatch(/ c\d+ meeting-started 123456/);
      expect(log).toContain(`protocol=${transport === 'u1' ? 'sip-udp' : 'sip-tcp'}`);
      expect(log).not.toContain(TEST_PIN);
    });
  }

  it('starts the meeting on the conference ID and PIN keyed as RFC 2833 events replayed from SIPp pcaps', async () => {
    const before = new Set(service.events.keys());
    const result = await runSipp({ scenario: 'uac-keys-pin-rfc2833.xml', port: service.udpPort });
    expect(result.code, result.stderr).toBe(0);
    const events = onlyNewCall(before);
    expect(heardKeys(events)).toBe(`123456#*${TEST_PIN}#`);
    expect(events.filter((e) => e.event === 'digit-heard').every((e) => e.event === 'digit-heard' && e.source === 'out-of-band')).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ event: 'meeting-started', conferenceId: '123456' }));
    expect(service.lines.join('\n')).not.toContain(TEST_PIN);
  });

  it("starts the meeting on the conference ID and PIN keyed with SIPp's play_dtmf (RFC 4733, payload type 96)", async () => {
    const before = new Set(service.events.keys());
    const result = await runSipp({ scenario: 'uac-keys-pin-play-dtmf.xml', port: service.udpPort });
    expect(result.code, result.stderr).toBe(0);
    const events = onlyNewCall(before);
    expect(heardKeys(events)).toBe(`123456#*${TEST_PIN}#`);
    expect(events).toContainEqual(expect.objectContaining({ event: 'meeting-started', conferenceId: '123456' }));
  });

  it('counts two replays of the same key pcap as two presses', async () => {
    const before = new Set(service.events.keys());
    const result = await runSipp({ scenario: 'uac-keys-repeated-digit-rfc2833.xml', port: service.udpPort });
    expect(result.code, result.stderr).toBe(0);
    const events = onlyNewCall(before);
    expect(heardKeys(events)).toBe(`${REPEAT_CONFERENCE}#`);
    // The conference exists only with both 1s: the flow moves on to the leader question.
    expect(statesOf(events)).toContain('leader-question');
  });

  it('ends a call cancelled before the answer with 200 to the CANCEL and 487 to the INVITE', async () => {
    const ringing = await startSipTestService({ ringMs: 5000 });
    try {
      const result = await runSipp({ scenario: 'uac-cancel-before-answer.xml', port: ringing.udpPort });
      expect(result.code, result.stderr).toBe(0);
      expect(ringing.events.size).toBe(0);
      expect(ringing.lines.join('\n')).toContain('sip call ended cancelled');
      await expect.poll(() => ringing.stats().calls).toBe(0);
    } finally {
      await ringing.close();
    }
  });

  it('ends a call cleanly when the caller hangs up in the middle of the PIN, counting no PIN failure', async () => {
    const dir = await keysFile('123456#*24');
    dirs.push(dir);
    const before = new Set(service.events.keys());
    const result = await runSipp({ scenario: 'uac-bye-mid-pin.xml', port: service.udpPort, cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const events = onlyNewCall(before);
    expect(statesOf(events).at(-1)).toBe('collecting-pin');
    expect(events.at(-1)).toMatchObject({ event: 'hung-up', reason: 'caller' });
    const callId = (events[0] as Extract<CallEvent, { event: 'call-started' }>).callId;
    expect(service.lines.filter((line) => line.includes(` ${callId} `) && line.includes('pin-checked'))).toEqual([]);
    const status = await service.directory.getStatus('amos');
    expect(status.failures).toBe(0);
    expect(status.globalFailures).toBe(0);
    await expect.poll(() => service.stats().calls).toBe(0);
  });
});
