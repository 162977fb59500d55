/**
 * The expectations checked once every call's steps are done: conferences
 * (started, participants, lobby), users (lockout, failures, expiry) and the
 * outbox, read from the Ivr and the directory at that moment.
 */
import type { PinDirectory } from '../../directory/pin-directory.ts';
import type { Ivr } from '../../flow/ivr.ts';
import { describeFinalExpectation } from './describe-expectation.ts';
import type { ExpectationResult } from '../scenario-result.ts';
import type { FinalExpectation } from '../parse/scenario-schema.ts';
import type { SimCall } from './sim-call.ts';

export interface FinalState {
  readonly ivr: Ivr;
  readonly directory: PinDirectory;
  readonly calls: ReadonlyMap<string, SimCall>;
  /** Participant ids per conference in the order they reached it (lobby included). */
  readonly arrivals: ReadonlyMap<string, ReadonlySet<string>>;
  readonly now: number;
}

const APP_PREFIX = 'app:';
/** Participant ids as scenarios write them: call ids, and user ids for app participants. */
const asScenarioId = (participantId: string) => (participantId.startsWith(APP_PREFIX) ? participantId.slice(APP_PREFIX.length) : participantId);
const list = (ids: readonly string[]) => `[${ids.join(', ')}]`;
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

export async function checkFinalExpectations(expectations: readonly FinalExpectation[], state: FinalState): Promise<ExpectationResult[]> {
  const results: ExpectationResult[] = [];
  for (const expectation of expectations) {
    const problems = await problemsOf(expectation, state);
    results.push({
      expectation: describeFinalExpectation(expectation),
      passed: problems.length === 0,
      ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
      atMs: state.now,
      line: expectation.source.line,
    });
  }
  return results;
}

async function problemsOf(expectation: FinalExpectation, state: FinalState): Promise<string[]> {
  const problems: string[] = [];
  switch (expectation.kind) {
    case 'conference': {
      const snapshot = state.ivr.conference(expectation.conference);
      const started = snapshot?.started ?? false;
      const order = new Map([...(state.arrivals.get(expectation.conference) ?? [])].map((id, index) => [id, index]));
      const rank = (id: string) => order.get(id) ?? order.size;
      const participants = [...(snapshot?.participants ?? [])].sort((a, b) => rank(a) - rank(b)).map(asScenarioId);
      const lobby = (snapshot?.lobby ?? []).map(asScenarioId);
      if (expectation.started !== undefined && expectation.started !== started) problems.push(started ? 'it was started' : 'it was not started');
      if (expectation.participants !== undefined && !sameList(expectation.participants, participants)) problems.push(`participants were ${list(participants)}`);
      if (expectation.lobby !== undefined && !sameList(expectation.lobby, lobby)) problems.push(`lobby was ${list(lobby)}`);
      return problems;
    }
    case 'user': {
      const status = await state.directory.getStatus(expectation.user);
      if (expectation.lockedOut !== undefined && expectation.lockedOut !== status.lockedOut) problems.push(status.lockedOut ? `was locked out (${status.lockKind})` : 'was not locked out');
      const locked = status.lockKind ?? false;
      if (expectation.locked !== undefined && expectation.locked !== locked) problems.push(locked === false ? 'was not locked' : `was locked (${locked})`);
      if (expectation.failures !== undefined && expectation.failures !== status.failures) problems.push(`had ${status.failures} failure${status.failures === 1 ? '' : 's'}`);
      if (expectation.globalFailures !== undefined && expectation.globalFailures !== status.globalFailures) {
        problems.push(`had ${status.globalFailures} failure${status.globalFailures === 1 ? '' : 's'} since the last logon`);
      }
      if (expectation.pinExpired !== undefined && expectation.pinExpired !== status.pinExpired) problems.push(status.pinExpired ? 'PIN was expired' : 'PIN was not expired');
      return problems;
    }
    case 'outbox': {
      const mail = state.directory.listOutbox().filter((message) => expectation.to === undefined || message.to === expectation.to);
      if (mail.length !== expectation.count) problems.push(`found ${mail.length} mail${mail.length === 1 ? '' : 's'}${mail.length > 0 ? ` (${mail.map((message) => message.subject).join('; ')})` : ''}`);
      return problems;
    }
    case 'call': {
      const call = state.calls.get(expectation.call);
      const actual = call?.state ?? 'not placed';
      if (actual !== expectation.state) problems.push(`it ended in ${actual}`);
      return problems;
    }
  }
}
