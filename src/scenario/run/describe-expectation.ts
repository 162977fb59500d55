/**
 * Expectations in words, as they appear in timelines, transcripts and
 * JUnit reports: `prompt enter-pin`, `state lobby within 2s`,
 * `conference 123456 started, participants [guest, amos], lobby []`.
 */
import { formatDuration } from '../duration.ts';
import type { CallExpectation, FinalExpectation } from '../parse/scenario-schema.ts';

export function describeCallExpectation(expectation: CallExpectation, withDeadline: boolean): string {
  const parts: string[] = [];
  if (expectation.prompt !== undefined) parts.push(`prompt ${expectation.prompt}`);
  if (expectation.rule !== undefined) parts.push(`rule ${expectation.rule}`);
  if (expectation.state !== undefined) parts.push(`state ${expectation.state}`);
  if (expectation.hears !== undefined) parts.push(`hears ${expectation.hears}`);
  if (expectation.digits !== undefined) parts.push(`digits ${expectation.digits === '' ? '(none)' : expectation.digits}`);
  if (expectation.admitted !== undefined) parts.push(expectation.admitted ? 'admitted' : 'not admitted');
  const text = parts.join(', ');
  return withDeadline ? `${text} within ${formatDuration(expectation.withinMs)}` : text;
}

const list = (ids: readonly string[]) => `[${ids.join(', ')}]`;

export function describeFinalExpectation(expectation: FinalExpectation): string {
  switch (expectation.kind) {
    case 'conference': {
      const parts: string[] = [];
      if (expectation.started !== undefined) parts.push(expectation.started ? 'started' : 'not started');
      if (expectation.participants !== undefined) parts.push(`participants ${list(expectation.participants)}`);
      if (expectation.lobby !== undefined) parts.push(`lobby ${list(expectation.lobby)}`);
      return `conference ${expectation.conference}${parts.length ? ' ' + parts.join(', ') : ''}`;
    }
    case 'user': {
      const parts: string[] = [];
      if (expectation.lockedOut !== undefined) parts.push(expectation.lockedOut ? 'locked out' : 'not locked out');
      if (expectation.locked !== undefined) parts.push(expectation.locked === false ? 'not locked' : `locked (${expectation.locked})`);
      if (expectation.failures !== undefined) parts.push(`${expectation.failures} failure${expectation.failures === 1 ? '' : 's'}`);
      if (expectation.globalFailures !== undefined) parts.push(`${expectation.globalFailures} failure${expectation.globalFailures === 1 ? '' : 's'} since the last logon`);
      if (expectation.pinExpired !== undefined) parts.push(expectation.pinExpired ? 'PIN expired' : 'PIN not expired');
      return `user ${expectation.user}${parts.length ? ' ' + parts.join(', ') : ''}`;
    }
    case 'outbox':
      return `outbox ${expectation.count} mail${expectation.count === 1 ? '' : 's'}${expectation.to === undefined ? '' : ` to ${expectation.to}`}`;
    case 'call':
      return `call ${expectation.call} ends in ${expectation.state}`;
  }
}
