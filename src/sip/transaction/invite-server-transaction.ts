/**
 * The INVITE server transaction (RFC 3261 section 17.2.1, with the Accepted
 * state of RFC 6026 section 7.1 so INVITE retransmissions after a 2xx are
 * absorbed instead of looking like new calls):
 *
 *            INVITE / send 100
 *                  │
 *            ┌─────▼──────┐ 1xx from TU: send
 *            │ Proceeding │ INVITE again: resend last response
 *            └──┬──────┬──┘
 *   300-699     │      │ 2xx from TU: send
 *  start G, H   │      └──────────────┐
 *            ┌──▼────────┐       ┌────▼─────┐ INVITE again: absorb
 *            │ Completed │       │ Accepted │ 2xx from TU: send
 *            └──┬─────┬──┘       └────┬─────┘
 *  ACK: start I │     │ H: timeout    │ Timer L
 *            ┌──▼──────┐  │           │
 *            │Confirmed│  │           │
 *            └──┬──────┘  │           │
 *       Timer I │         │           │
 *            ┌──▼─────────▼───────────▼┐
 *            │       Terminated         │
 *            └──────────────────────────┘
 */
import type { CoreOutput } from './core-output.ts';
import { addressTag } from '../message/name-addr.ts';
import { buildResponse } from '../message/response-builder.ts';
import { derivedTimers, type SipTimers } from '../sip-constants.ts';
import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import { isReliable, responseDestination, type Peer } from './peer.ts';
import { TransactionTimers } from './transaction-timers.ts';

export type InviteServerState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

export class InviteServerTransaction {
  state: InviteServerState = 'proceeding';
  private lastResponse: SipResponse | undefined;
  private readonly timers: TransactionTimers;
  private readonly reliable: boolean;
  private readonly destination: Peer;
  private intervalG: number;

  constructor(
    readonly id: string,
    readonly request: SipRequest,
    readonly source: Peer,
    private readonly config: SipTimers,
  ) {
    this.timers = new TransactionTimers(id);
    this.reliable = isReliable(source.transport);
    this.destination = responseDestination(request.via[0]!, source);
    this.intervalG = derivedTimers(config).G;
  }

  /** The To tag of the last response sent, so later responses of the same early dialog reuse it. */
  get toTag(): string | undefined {
    return this.lastResponse && addressTag(this.lastResponse.to);
  }

  /**
   * Section 17.2.1: a 100 Trying at once, so the client stops retransmitting
   * (the RFC allows waiting 200 ms for the TU; answering at once is simpler
   * and always allowed).
   */
  start(): CoreOutput[] {
    return this.send(buildResponse(this.request, 100));
  }

  /** A retransmitted INVITE, or an ACK that matched this transaction. */
  receive(request: SipRequest): { outputs: CoreOutput[]; ackForTu: boolean } {
    if (request.method === 'ACK') {
      if (this.state === 'accepted') return { outputs: [], ackForTu: true };
      if (this.state !== 'completed') return { outputs: [], ackForTu: false };
      this.state = 'confirmed';
      const outputs = [...this.timers.cancel('G'), ...this.timers.cancel('H')];
      return { outputs: [...outputs, ...this.waitOrTerminate('I', derivedTimers(this.config).I)], ackForTu: false };
    }
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse) {
      return { outputs: [this.sendOutput(this.lastResponse)], ackForTu: false };
    }
    return { outputs: [], ackForTu: false };
  }

  respond(response: SipResponse): CoreOutput[] {
    const status = response.status;
    if (this.state === 'accepted') return status >= 200 && status < 300 ? [this.sendOutput(response)] : [];
    if (this.state !== 'proceeding') return [];
    if (status < 200) return this.send(response);
    const timers = derivedTimers(this.config);
    if (status < 300) {
      this.state = 'accepted';
      return [...this.send(response), this.timers.start('L', timers.L)];
    }
    this.state = 'completed';
    const outputs = this.send(response);
    if (!this.reliable) outputs.push(this.timers.start('G', this.intervalG));
    outputs.push(this.timers.start('H', timers.H));
    return outputs;
  }

  timerFired(name: string): { outputs: CoreOutput[]; timedOut: boolean } {
    if (!this.timers.fired(name)) return { outputs: [], timedOut: false };
    if (name === 'G' && this.state === 'completed' && this.lastResponse) {
      // Section 17.2.1: the interval doubles each time, capped at T2.
      this.intervalG = Math.min(2 * this.intervalG, this.config.T2);
      return { outputs: [this.sendOutput(this.lastResponse), this.timers.start('G', this.intervalG)], timedOut: false };
    }
    if (name === 'H' && this.state === 'completed') {
      return { outputs: this.terminate(), timedOut: true };
    }
    return { outputs: this.terminate(), timedOut: false };
  }

  private waitOrTerminate(name: string, udpDelayMs: number): CoreOutput[] {
    return this.reliable ? this.terminate() : [this.timers.start(name, udpDelayMs)];
  }

  private terminate(): CoreOutput[] {
    this.state = 'terminated';
    return this.timers.cancelAll();
  }

  private send(response: SipResponse): CoreOutput[] {
    this.lastResponse = response;
    return [this.sendOutput(response)];
  }

  private sendOutput(response: SipResponse): CoreOutput {
    return { type: 'send', message: response, to: this.destination };
  }
}
