/**
 * The non-INVITE server transaction (RFC 3261 section 17.2.2):
 *
 *   request ─▶ Trying ──1xx──▶ Proceeding ──final──▶ Completed ──Timer J──▶ Terminated
 *                 └──────────────final────────────────────▲
 *
 * Retransmitted requests are absorbed in Trying and answered with the last
 * response in Proceeding and Completed. Timer J is 64*T1 over UDP and zero
 * on reliable transports.
 */
import type { CoreOutput } from './core-output.ts';
import { derivedTimers, type SipTimers } from '../sip-constants.ts';
import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import { isReliable, responseDestination, type Peer } from './peer.ts';
import { TransactionTimers } from './transaction-timers.ts';

export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteServerTransaction {
  state: NonInviteServerState = 'trying';
  private lastResponse: SipResponse | undefined;
  private readonly timers: TransactionTimers;
  private readonly destination: Peer;

  constructor(
    readonly id: string,
    readonly request: SipRequest,
    readonly source: Peer,
    private readonly config: SipTimers,
  ) {
    this.timers = new TransactionTimers(id);
    this.destination = responseDestination(request.via[0]!, source);
  }

  /** A retransmission of the request. */
  receive(): CoreOutput[] {
    if (this.state === 'trying' || this.state === 'terminated' || !this.lastResponse) return [];
    return [{ type: 'send', message: this.lastResponse, to: this.destination }];
  }

  respond(response: SipResponse): CoreOutput[] {
    if (this.state === 'completed' || this.state === 'terminated') return [];
    this.lastResponse = response;
    const outputs: CoreOutput[] = [{ type: 'send', message: response, to: this.destination }];
    if (response.status < 200) {
      this.state = 'proceeding';
      return outputs;
    }
    this.state = 'completed';
    if (isReliable(this.source.transport)) this.state = 'terminated';
    else outputs.push(this.timers.start('J', derivedTimers(this.config).J));
    return outputs;
  }

  timerFired(name: string): CoreOutput[] {
    if (this.timers.fired(name)) this.state = 'terminated';
    return [];
  }
}
