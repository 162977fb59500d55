/**
 * What a softphone test does once its phone has dialed the SIP test
 * service: find the call in the service's log, key the conference ID, the
 * organizer's `*` and the PIN with the phone's own DTMF, each key once, and
 * read back what the service heard.
 */
import { expect } from 'vitest';
import type { CallEvent } from '../../../src/session/call-events.ts';
import type { SipTestService } from './sip-test-service.ts';
import { until } from './sipp.ts';

/** The keys an organizer presses, in order, each followed by the state it leads to. */
export const ORGANIZER_KEYS = (pin: string) =>
  [
    ['123456#', 'leader-question'],
    ['*', 'collecting-pin'],
    [`${pin}#`, 'in-meeting'],
  ] as const;

/** All of them in one string. */
export const organizerKeys = (pin: string) => ORGANIZER_KEYS(pin).map(([keys]) => keys).join('');

/** The service's call id for the only call it has (from its call-started log line). */
export async function onlyCallId(service: SipTestService): Promise<string> {
  await until(() => service.lines.some((line) => / c\d+ call-started /.test(line)), 15_000, 'the softphone call to start');
  const ids = service.lines.flatMap((line) => / (c\d+) call-started /.exec(line)?.[1] ?? []);
  if (ids.length !== 1) throw new Error(`expected one call, the log has ${ids.length}`);
  return ids[0]!;
}

export async function callEnters(service: SipTestService, callId: string, state: string, timeoutMs = 15_000): Promise<void> {
  await until(() => service.lines.some((line) => line.endsWith(` ${callId} state-entered ${state}`)), timeoutMs, `${callId} to enter ${state}\n${service.lines.join('\n')}`);
}

/** The call's digit-heard log lines. */
export const digitLines = (service: SipTestService, callId: string) => service.lines.filter((line) => line.includes(` ${callId} digit-heard `));

/**
 * Keys the conference ID, `*` and the PIN with `press` (one key per call),
 * waiting for each key to be heard before the next and for each entry's
 * state before the next entry.
 */
export async function keyOrganizer(service: SipTestService, callId: string, pin: string, press: (key: string) => Promise<void>): Promise<void> {
  for (const [keys, next] of ORGANIZER_KEYS(pin)) {
    for (const key of keys) {
      const heard = digitLines(service, callId).length;
      await press(key);
      await until(() => digitLines(service, callId).length > heard, 10_000, `${callId} to hear a key\n${service.lines.join('\n')}`);
    }
    await callEnters(service, callId, next);
  }
}

/** Every key the session heard, unmasked (from its events, which are never logged). */
export const heardKeys = (events: readonly CallEvent[]) => events.flatMap((e) => (e.event === 'digit-heard' ? [e.digit] : [])).join('');

/** The phone hung up: the call ends with the caller's BYE and its SIP call is released. */
export async function callEndsByCaller(service: SipTestService, callId: string): Promise<void> {
  await until(() => service.lines.some((line) => line.endsWith(` ${callId} hung-up caller`)), 10_000, `${callId} to end`);
  expect(service.lines.join('\n')).toMatch(new RegExp(` ${callId} sip call ended remote-bye`));
  await until(() => service.stats().calls === 0, 5000, 'the SIP call to be released');
}

/** After the call: it started the meeting, heard every organizer key exactly once as an out-of-band key, and the log holds no PIN. */
export function expectMeetingStartedOnKeysHeardOnce(service: SipTestService, callId: string, pin: string): void {
  const keys = organizerKeys(pin);
  const log = service.lines.join('\n');
  expect(log).toMatch(new RegExp(` ${callId} meeting-started 123456`));
  expect(heardKeys(service.events.get(callId)!)).toBe(keys);
  const lines = digitLines(service, callId);
  expect(lines).toHaveLength(keys.length);
  expect(lines.every((line) => / digit-heard [x*#] out-of-band /.test(line))).toBe(true);
  expect(log).not.toContain(pin);
}
