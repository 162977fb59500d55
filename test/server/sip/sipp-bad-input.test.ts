/**
 * Bad input on its own call, while a bystander SIPp call stays in its
 * meeting undisturbed: a malformed request (400), an oversized one (513),
 * an unknown method (501), an offer with no common codec (488), a call
 * over the limit (486), RTP with a payload type nobody named and RTP from
 * an address that is not the caller's (both dropped and counted). At the
 * end the service closes, which hangs the bystander up with BYE.
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeDtmf } from '../../../src/dsp/dtmf-generator.ts';
import { encodeMulaw } from '../../../src/dsp/g711.ts';
import { buildRtpPacket } from '../../../src/rtp/rtp-packet.ts';
import type { CallEvent } from '../../../src/session/call-events.ts';
import { startSipTestService, TEST_PIN, type SipTestService } from './sip-test-service.ts';
import { runSipp, until, type SippRun } from './sipp.ts';

const BIN = join(import.meta.dirname, '../../../bin/dialin-sim.js');
const KEYS = `123456#*${TEST_PIN}#`;

const heardKeys = (events: readonly CallEvent[] = []) => events.flatMap((e) => (e.event === 'digit-heard' ? [e.digit] : [])).join('');

describe('bad SIP and RTP input', () => {
  let service: SipTestService;
  let dir: string;
  let bystander: Promise<SippRun>;
  let bystanderId: string;
  /** Packets the intruder sent to the bystander's RTP port. */
  let intruderPackets = 0;

  /** The rtp stats note of a call: `rtp accepted=… dropped foreign=…`. */
  const rtpStats = (callId: string): Record<string, number> => {
    const line = service.lines.find((l) => l.includes(` ${callId} rtp accepted=`));
    if (!line) return {};
    return Object.fromEntries([...line.matchAll(/([a-z-]+)=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
  };

  const expectBystanderInMeeting = () => {
    expect(service.events.get(bystanderId)?.at(-1)?.event).not.toBe('hung-up');
    expect(heardKeys(service.events.get(bystanderId))).toBe(KEYS);
  };

  beforeAll(async () => {
    service = await startSipTestService({ maxCalls: 2, maxMessageBytes: 2048 });
    dir = mkdtempSync(join(tmpdir(), 'sipp-keys-'));
    await promisify(execFile)(process.execPath, [BIN, 'synth', KEYS, '-o', join(dir, 'keys.wav'), '--encoding', 'mulaw', '--on', '80', '--off', '80']);
    bystander = runSipp({ scenario: 'uac-bystander-until-ivr-bye.xml', port: service.udpPort, cwd: dir, timeoutS: 90 });
    await until(() => service.callsWith('meeting-started').length === 1, 20_000, 'the bystander to start its meeting');
    bystanderId = service.callsWith('meeting-started')[0]!;
  }, 40_000);

  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, string, string][] = [
    ['a malformed request', 'uac-malformed-expect-400.xml', 'answered 400: bad-max-forwards'],
    ['an oversized request', 'uac-oversized-expect-513.xml', 'answered 513: too-large'],
    ['an unknown method', 'uac-unknown-method-expect-501.xml', ''],
    ['an offer with no common codec', 'uac-no-common-codec-expect-488.xml', 'sip call ended not-acceptable'],
  ];
  for (const [what, scenario, logged] of cases) {
    it(`answers ${what} with ${scenario.match(/expect-(\d+)/)![1]} and leaves the other call alone`, async () => {
      const result = await runSipp({ scenario, port: service.udpPort });
      expect(result.code, result.stderr).toBe(0);
      if (logged) expect(service.lines.some((line) => line.includes(logged))).toBe(true);
      expectBystanderInMeeting();
    });
  }

  it('answers 486 to a call over the call limit and leaves the calls in progress alone', async () => {
    const holder = runSipp({ scenario: 'uac-keys-repeated-digit-rfc2833.xml', port: service.udpPort });
    await expect.poll(() => service.stats().calls, { timeout: 10_000 }).toBe(2);
    const busy = await runSipp({ scenario: 'uac-busy-expect-486.xml', port: service.udpPort });
    expect(busy.code, busy.stderr).toBe(0);
    expect((await holder).code).toBe(0);
    expectBystanderInMeeting();
  });

  it('drops and counts RTP whose payload type the answer did not name, hearing no key from it', async () => {
    const before = new Set(service.events.keys());
    const result = await runSipp({ scenario: 'uac-rtp-unknown-payload-type.xml', port: service.udpPort, cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const [callId] = [...service.events.keys()].filter((id) => !before.has(id));
    expect(heardKeys(service.events.get(callId!))).toBe('');
    await expect.poll(() => rtpStats(callId!)['payload-type'] ?? 0).toBeGreaterThan(50);
    expect(rtpStats(callId!).accepted).toBe(0);
    expectBystanderInMeeting();
  });

  it('drops and counts RTP sent to a call from an address other than the caller, hearing no key from it', async () => {
    const answered = service.lines.find((line) => line.includes(` ${bystanderId} sip `) && line.includes('rtp port'))!;
    const rtpPort = Number(/rtp port (\d+)/.exec(answered)![1]);
    const intruder = createSocket('udp4');
    await new Promise<void>((resolve) => intruder.bind(0, '127.0.0.1', resolve));
    // Real PCMU audio of the key 9, which the bystander never keys.
    const codes = encodeMulaw(synthesizeDtmf('999', { sampleRate: 8000 }));
    let sent = 0;
    for (let at = 0; at + 160 <= codes.length; at += 160, sent++) {
      const packet = buildRtpPacket({ payloadType: 0, sequenceNumber: sent, timestamp: at, ssrc: 0xbad, payload: codes.subarray(at, at + 160) });
      await new Promise((resolve) => intruder.send(packet, rtpPort, '127.0.0.1', resolve));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    intruder.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expectBystanderInMeeting();
    // The bystander's counts are logged when its call ends, in the last test.
    expect(sent).toBeGreaterThan(20);
    intruderPackets = sent;
  });

  it('hangs the bystander up with BYE when the service closes, within 2 s', async () => {
    const started = performance.now();
    await service.close();
    expect(performance.now() - started).toBeLessThan(2000);
    const result = await bystander;
    expect(result.code, result.stderr).toBe(0);
    const events = service.events.get(bystanderId)!;
    expect(events.at(-1)).toMatchObject({ event: 'hung-up', reason: 'server-shutdown' });
    expect(heardKeys(events)).toBe(KEYS);
    expect(rtpStats(bystanderId).foreign).toBe(intruderPackets);
    expect(service.lines.join('\n')).not.toContain(TEST_PIN);
  });
});
