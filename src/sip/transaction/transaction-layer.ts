/**
 * The SIP core's transaction layer as one state object: feed it what
 * happened (a message arrived, a timer fired, the application answers or
 * sends a request) and it returns what to do (send, start or cancel timers,
 * hand a request or event to the application). No I/O, no clock.
 *
 * It matches requests to server transactions (RFC 3261 section 17.2.3),
 * absorbs retransmissions, answers CANCEL itself (section 9.2), retransmits
 * 2xx to INVITE until the ACK (section 13.3.1.4), and runs non-INVITE client
 * transactions for the requests the application sends (section 17.1.2).
 * Every request handed up must be answered with respond(): a server
 * transaction stays open until its final response.
 */
import { DialinError } from '../../errors.ts';
import { AckWaiter, ackKey } from './ack-waiter.ts';
import type { CoreOutput } from './core-output.ts';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
import { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
import { responseDestination, stampVia, type Peer } from './peer.ts';
import { buildResponse } from '../message/response-builder.ts';
import { DEFAULT_TIMERS, type SipTimers } from '../sip-constants.ts';
import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message.ts';
import { clientTransactionKey, serverTransactionKey } from './transaction-key.ts';
import { splitTimerId } from './transaction-timers.ts';

export interface TransactionLayerOptions {
  /** T1, T2, T4 in ms (RFC 3261 Table 4); tests and SIPp runs may shorten them. */
  readonly timers?: SipTimers;
  /** Makes the To tag of the 487 the core sends for a cancelled INVITE. */
  readonly newTag: () => string;
}

/** The application asked for something the transaction state does not allow (a bug in the caller). */
export class SipTransactionError extends DialinError {
  constructor(message: string) {
    super('E_SIP_TRANSACTION', message);
  }
}

type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

export class TransactionLayer {
  private readonly timers: SipTimers;
  private readonly newTag: () => string;
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly clients = new Map<string, NonInviteClientTransaction>();
  private readonly ackWaiters = new Map<string, AckWaiter>();

  constructor(options: TransactionLayerOptions) {
    this.timers = options.timers ?? DEFAULT_TIMERS;
    this.newTag = options.newTag;
  }

  /** Live transactions and 2xx retransmissions, for tests and leak checks. */
  get size(): number {
    return this.servers.size + this.clients.size + this.ackWaiters.size;
  }

  /** The state of a server transaction, or undefined once it is gone. */
  serverState(transactionId: string): string | undefined {
    return this.servers.get(transactionId)?.state;
  }

  receive(message: SipMessage, from: Peer): CoreOutput[] {
    return message.kind === 'request' ? this.receiveRequest(stampVia(message, from), from) : this.receiveResponse(message);
  }

  /** The application's response to the request it got as `transactionId`. */
  respond(transactionId: string, response: SipResponse): CoreOutput[] {
    const transaction = this.servers.get(transactionId);
    if (!transaction) throw new SipTransactionError(`no server transaction ${transactionId}`);
    const outputs = transaction.respond(response);
    if (
      transaction instanceof InviteServerTransaction &&
      response.status >= 200 &&
      response.status < 300 &&
      outputs.length > 0 &&
      !this.ackWaiters.has(ackKey(response.callId, response.cseq.seq))
    ) {
      const waiter = new AckWaiter(response, responseDestination(transaction.request.via[0]!, transaction.source), this.timers);
      this.ackWaiters.set(waiter.id, waiter);
      outputs.push(...waiter.start());
    }
    this.forgetIfTerminated(transaction);
    return outputs;
  }

  /** Sends a non-INVITE request (BYE, OPTIONS, INFO) in its own client transaction. */
  sendRequest(request: SipRequest, to: Peer): { transactionId: string; outputs: CoreOutput[] } {
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new SipTransactionError(`${request.method} is not sent through a non-INVITE client transaction`);
    }
    const id = clientTransactionKey(request);
    if (this.clients.has(id)) throw new SipTransactionError(`a client transaction ${id} is already running`);
    const transaction = new NonInviteClientTransaction(id, request, to, this.timers);
    this.clients.set(id, transaction);
    return { transactionId: id, outputs: transaction.start() };
  }

  timerFired(id: string): CoreOutput[] {
    const parts = splitTimerId(id);
    if (!parts) return [];
    const server = this.servers.get(parts.owner);
    if (server instanceof InviteServerTransaction) {
      const { outputs, timedOut } = server.timerFired(parts.name);
      if (timedOut) outputs.push({ type: 'transaction-timeout', transactionId: server.id });
      this.forgetIfTerminated(server);
      return outputs;
    }
    if (server) {
      const outputs = server.timerFired(parts.name);
      this.forgetIfTerminated(server);
      return outputs;
    }
    const client = this.clients.get(parts.owner);
    if (client) {
      const { outputs, timedOut } = client.timerFired(parts.name);
      if (timedOut) outputs.push({ type: 'request-timeout', transactionId: client.id });
      if (client.state === 'terminated') this.clients.delete(client.id);
      return outputs;
    }
    const waiter = this.ackWaiters.get(parts.owner);
    if (!waiter) return [];
    const outputs = waiter.timerFired(parts.name);
    if (waiter.done) this.ackWaiters.delete(waiter.id);
    return outputs;
  }

  private receiveRequest(request: SipRequest, from: Peer): CoreOutput[] {
    const id = serverTransactionKey(request);
    const existing = this.servers.get(id);
    if (request.method === 'ACK') return this.receiveAck(request, from, existing);
    if (existing) return existing instanceof InviteServerTransaction ? existing.receive(request).outputs : existing.receive();
    if (request.method === 'INVITE') {
      const transaction = new InviteServerTransaction(id, request, from, this.timers);
      this.servers.set(id, transaction);
      return [...transaction.start(), { type: 'request', request, from, transactionId: id }];
    }
    const transaction = new NonInviteServerTransaction(id, request, from, this.timers);
    this.servers.set(id, transaction);
    if (request.method === 'CANCEL') return this.cancel(transaction, request);
    return [{ type: 'request', request, from, transactionId: id }];
  }

  private receiveAck(request: SipRequest, from: Peer, transaction: ServerTransaction | undefined): CoreOutput[] {
    if (transaction instanceof InviteServerTransaction) {
      const { outputs, ackForTu } = transaction.receive(request);
      this.forgetIfTerminated(transaction);
      if (!ackForTu) return outputs;
    }
    const waiter = this.ackWaiters.get(ackKey(request.callId, request.cseq.seq));
    if (!waiter) return [];
    this.ackWaiters.delete(waiter.id);
    return [...waiter.acknowledged(), { type: 'ack', request, from }];
  }

  /**
   * Section 9.2: a CANCEL matching a pending INVITE gets 200 and the INVITE
   * gets 487; a CANCEL matching nothing gets 481. The INVITE is found by the
   * CANCEL's branch, which section 9.1 makes equal to the INVITE's.
   */
  private cancel(transaction: NonInviteServerTransaction, request: SipRequest): CoreOutput[] {
    const invite = this.servers.get(serverTransactionKey(request, 'INVITE'));
    const found = invite instanceof InviteServerTransaction;
    const outputs = transaction.respond(buildResponse(request, found ? 200 : 481, { toTag: this.newTag() }));
    this.forgetIfTerminated(transaction);
    if (!found || invite.state !== 'proceeding') return outputs;
    // The 487 keeps the To tag of any provisional response already sent, so it belongs to the same early dialog.
    outputs.push(...invite.respond(buildResponse(invite.request, 487, { toTag: invite.toTag ?? this.newTag() })));
    this.forgetIfTerminated(invite);
    outputs.push({ type: 'cancelled', transactionId: invite.id, request: invite.request });
    return outputs;
  }

  private receiveResponse(response: SipResponse): CoreOutput[] {
    const client = this.clients.get(clientTransactionKey(response));
    // Section 18.1.2: a response matching no transaction is discarded.
    if (!client) return [];
    const { outputs, deliver } = client.receive(response);
    if (client.state === 'terminated') this.clients.delete(client.id);
    if (deliver) outputs.push({ type: 'response', response, transactionId: client.id });
    return outputs;
  }

  private forgetIfTerminated(transaction: ServerTransaction): void {
    if (transaction.state === 'terminated') this.servers.delete(transaction.id);
  }
}
