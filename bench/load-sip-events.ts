/**
 * What a SIP caller of `npm run load` would have been told, read off the
 * server's call log as it is written: SIP carries no call events, so the
 * server's process reports them. A SIP call is known by its `answered`
 * note (`<time> <callId> sip sip#N Call-ID <id> answered ...`); from then
 * on its call-started, state-entered, digit-heard and error lines become
 * events under its SIP Call-ID, handed on in one batch per turn of the
 * event loop. The log masks digit keys (call-log.ts), and so do they.
 */
import type { SipCallEvent } from './load-sip-call.ts';

export class SipEventTap {
  /** SIP Call-ID by session call id. */
  private readonly sipCallIds = new Map<string, string>();
  private pending: SipCallEvent[] = [];

  constructor(private readonly report: (events: SipCallEvent[]) => void) {}

  /** One log line, written at `at` (performance.timeOrigin + performance.now(), ms). */
  line(line: string, at: number): void {
    const fields = line.split(' ');
    const [, callId, word, value] = fields;
    if (callId === undefined || word === undefined) return;
    if (word === 'sip' && fields[4] === 'Call-ID' && fields[6] === 'answered') {
      this.sipCallIds.set(callId, fields[5]!);
      return;
    }
    const sipCallId = this.sipCallIds.get(callId);
    if (sipCallId === undefined) return;
    let event: SipCallEvent;
    switch (word) {
      case 'call-started':
        event = { callId: sipCallId, event: word, at };
        break;
      case 'state-entered':
        event = { callId: sipCallId, event: word, state: value!, at };
        break;
      case 'digit-heard':
        event = { callId: sipCallId, event: word, digit: value!, at };
        break;
      case 'error':
        event = { callId: sipCallId, event: word, code: value!, message: fields.slice(4).join(' '), at };
        break;
      case 'hung-up':
        this.sipCallIds.delete(callId);
        return;
      default:
        return;
    }
    if (this.pending.length === 0) {
      setImmediate(() => {
        const events = this.pending;
        this.pending = [];
        this.report(events);
      });
    }
    this.pending.push(event);
  }
}
