/**
 * The non-INVITE client transaction (RFC 3261 section 17.1.2), used for the
 * requests the IVR sends itself, such as its BYE:
 *
 *   send ─▶ Trying ──1xx──▶ Proceeding ──final──▶ Completed ──Timer K──▶ Terminated
 *             └──────────────final──────────────────▲
 *   Timer F (64*T1) in Trying or Proceeding ─▶ Terminated, timeout reported
 *
 * Over UDP, Timer E retransmits the request: T1 doubling up to T2 in Trying,
 * every T2 in Proceeding. Responses after the first final are absorbed.
 */
import type { CoreOutput } from './core-output.ts';
import { derivedTimers, type SipTimers } from '../sip-constants.ts';
import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import { isReliable, type Peer } from './peer.ts';
import { TransactionTimers } from './transaction-timers.ts';

export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteClientTransaction {
  state: NonInviteClientState = 'trying';
  private readonly timers: TransactionTimers;
  private readonly reliable: boolean;
  private intervalE: number;

  constructor(
    readonly id: string,
    readonly request: SipRequest,
    readonly destination: Peer,
    private readonly config: SipTimers,
  ) {
    this.timers = new TransactionTimers(id);
    this.reliable = isReliable(destination.transport);
    this.intervalE = derivedTimers(config).E;
  }

  start(): CoreOutput[] {
    const outputs: CoreOutput[] = [this.sendRequest(), this.timers.start('F', derivedTimers(this.config).F)];
    if (!this.reliable) outputs.push(this.timers.start('E', this.intervalE));
    return outputs;
  }

  /** Returns the outputs and whether the response goes up to the application. */
  receive(response: SipResponse): { outputs: CoreOutput[]; deliver: boolean } {
    if (this.state === 'completed' || this.state === 'terminated') return { outputs: [], deliver: false };
    if (response.status < 200) {
      this.state = 'proceeding';
      return { outputs: [], deliver: true };
    }
    this.state = 'completed';
    const outputs = [...this.timers.cancel('E'), ...this.timers.cancel('F')];
    if (this.reliable) this.state = 'terminated';
    else outputs.push(this.timers.start('K', derivedTimers(this.config).K));
    return { outputs, deliver: true };
  }

  timerFired(name: string): { outputs: CoreOutput[]; timedOut: boolean } {
    if (!this.timers.fired(name)) return { outputs: [], timedOut: false };
    if (name === 'E' && (this.state === 'trying' || this.state === 'proceeding')) {
      this.intervalE = this.state === 'trying' ? Math.min(2 * this.intervalE, this.config.T2) : this.config.T2;
      return { outputs: [this.sendRequest(), this.timers.start('E', this.intervalE)], timedOut: false };
    }
    const timedOut = name === 'F' && this.state !== 'completed';
    this.state = 'terminated';
    return { outputs: this.timers.cancelAll(), timedOut };
  }

  private sendRequest(): CoreOutput {
    return { type: 'send', message: this.request, to: this.destination };
  }
}
