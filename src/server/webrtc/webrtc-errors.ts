/** Why a WebRTC media leg could not be set up, or why it ended. */
import { DialinError } from '../../errors.ts';

export const OFFER_PROBLEMS = ['malformed', 'not-webrtc', 'no-audio', 'no-common-codec', 'no-connection', 'no-ice', 'no-fingerprint', 'no-rtcp-mux', 'rejected'] as const;
/** Why an offer is refused; the SIP layer answers 488 Not Acceptable Here (RFC 3261 section 13.3.1.3). */
export type OfferProblem = (typeof OFFER_PROBLEMS)[number];

export class WebRtcOfferError extends DialinError {
  readonly problem: OfferProblem;

  constructor(problem: OfferProblem, detail: string, options?: ErrorOptions) {
    super('E_WEBRTC_OFFER', `WebRTC offer: ${detail}`, options);
    this.problem = problem;
  }
}

export const CLOSE_REASONS = ['closed', 'ice-failed', 'dtls-failed', 'connect-timeout'] as const;
/**
 * How a leg ended: `closed` by its owner, ICE connectivity failed (RFC 8445
 * section 8), the DTLS handshake or the transport failed, or no connection
 * within the connect timeout.
 */
export type CloseReason = (typeof CLOSE_REASONS)[number];
