/**
 * The UAS core's retransmission of a 2xx to INVITE until the ACK arrives
 * (RFC 3261 section 13.3.1.4): first after T1, the interval doubling up to
 * T2; after 64*T1 without an ACK the core gives up and the session should
 * end with a BYE. The ACK is matched by Call-ID and CSeq number, since it is
 * its own transaction with a new branch (section 17.1.1.3).
 */
import type { CoreOutput } from './core-output.ts';
import { derivedTimers, type SipTimers } from '../sip-constants.ts';
import type { SipResponse } from '../message/sip-message.ts';
import type { Peer } from './peer.ts';
import { TransactionTimers } from './transaction-timers.ts';

export function ackKey(callId: string, cseq: number): string {
  return `ack|${callId}|${cseq}`;
}

export class AckWaiter {
  readonly id: string;
  private readonly timers: TransactionTimers;
  private interval: number;
  done = false;

  constructor(
    private readonly response: SipResponse,
    private readonly destination: Peer,
    private readonly config: SipTimers,
  ) {
    this.id = ackKey(response.callId, response.cseq.seq);
    this.timers = new TransactionTimers(this.id);
    this.interval = config.T1;
  }

  start(): CoreOutput[] {
    return [this.timers.start('retransmit', this.interval), this.timers.start('give-up', derivedTimers(this.config).ACK_WAIT)];
  }

  acknowledged(): CoreOutput[] {
    this.done = true;
    return this.timers.cancelAll();
  }

  timerFired(name: string): CoreOutput[] {
    if (!this.timers.fired(name)) return [];
    if (name === 'give-up') {
      this.done = true;
      return [...this.timers.cancelAll(), { type: 'ack-timeout', callId: this.response.callId, cseq: this.response.cseq.seq }];
    }
    this.interval = Math.min(2 * this.interval, this.config.T2);
    return [{ type: 'send', message: this.response, to: this.destination }, this.timers.start('retransmit', this.interval)];
  }
}
