/**
 * What a SIP transport hands the service: a message that parsed, or why the
 * bytes did not, with the peer they came from.
 */
import type { SipParseError } from '../../sip/message/sip-error.ts';
import type { SipMessage } from '../../sip/message/sip-message.ts';
import type { Peer } from '../../sip/transaction/peer.ts';

export type SipInput = { readonly type: 'message'; readonly message: SipMessage } | { readonly type: 'error'; readonly error: SipParseError };

export type SipInputHandler = (input: SipInput, from: Peer) => void;
