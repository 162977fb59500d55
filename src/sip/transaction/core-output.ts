/**
 * What the SIP core asks of its surroundings after each input. The transport
 * sends messages and runs timers; the application (the call layer) gets the
 * requests and events. A `start-timer` with an id already running restarts it.
 */
import type { Peer } from './peer.ts';
import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message.ts';

export type CoreOutput =
  | { readonly type: 'send'; readonly message: SipMessage; readonly to: Peer }
  | { readonly type: 'start-timer'; readonly id: string; readonly delayMs: number }
  | { readonly type: 'cancel-timer'; readonly id: string }
  /** A new request for the application; answer it with respond(transactionId, ...). */
  | { readonly type: 'request'; readonly request: SipRequest; readonly from: Peer; readonly transactionId: string }
  /** The ACK for a 2xx the application sent (RFC 3261 section 13.3.1.4). */
  | { readonly type: 'ack'; readonly request: SipRequest; readonly from: Peer }
  /** A CANCEL stopped an INVITE; the core has answered 200 to the CANCEL and 487 to the INVITE (section 9.2). */
  | { readonly type: 'cancelled'; readonly transactionId: string; readonly request: SipRequest }
  /** A 2xx was never acknowledged within 64*T1; the session should be ended with BYE (section 13.3.1.4). */
  | { readonly type: 'ack-timeout'; readonly callId: string; readonly cseq: number }
  /** Timer H fired: no ACK for a non-2xx final response (section 17.2.1). */
  | { readonly type: 'transaction-timeout'; readonly transactionId: string }
  /** A response to a request sent with sendRequest. */
  | { readonly type: 'response'; readonly response: SipResponse; readonly transactionId: string }
  /** Timer F fired: a request sent with sendRequest got no final response (section 17.1.2.2). */
  | { readonly type: 'request-timeout'; readonly transactionId: string };
