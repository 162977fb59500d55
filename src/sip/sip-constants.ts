/**
 * Every number the SIP core uses, with where it comes from. Timers follow
 * RFC 3261 section 17 and Table 4 (Appendix A); the parser limits are local
 * policy against hostile input, sized from the transports' own limits.
 */

/** RFC 3261 section 17.1.1.1: RTT estimate, default 500 ms. */
const T1 = 500;
/** RFC 3261 section 17.1.2.2: maximum retransmit interval for non-INVITE requests and INVITE responses. */
const T2 = 4000;
/** RFC 3261 section 17.1.2.2: maximum duration a message remains in the network. */
const T4 = 5000;

/** Timer values in milliseconds (RFC 3261 Table 4). */
export interface SipTimers {
  readonly T1: number;
  readonly T2: number;
  readonly T4: number;
}

export const DEFAULT_TIMERS: SipTimers = { T1, T2, T4 };

/** Derived timers, all from RFC 3261 Table 4 (and RFC 6026 section 8.7 for Timer L). */
export function derivedTimers(t: SipTimers) {
  return {
    /** Timer E: non-INVITE request retransmit, starts at T1 (section 17.1.2.2). */
    E: t.T1,
    /** Timer F: non-INVITE transaction timeout, 64*T1 (section 17.1.2.2). */
    F: 64 * t.T1,
    /** Timer G: INVITE final response retransmit, starts at T1 (section 17.2.1). */
    G: t.T1,
    /** Timer H: wait for ACK receipt, 64*T1 (section 17.2.1). */
    H: 64 * t.T1,
    /** Timer I: wait for ACK retransmits over UDP, T4 (section 17.2.1); 0 on reliable transports. */
    I: t.T4,
    /** Timer J: wait for non-INVITE request retransmits over UDP, 64*T1 (section 17.2.2); 0 on reliable. */
    J: 64 * t.T1,
    /** Timer K: wait for response retransmits over UDP, T4 (section 17.1.2.2); 0 on reliable. */
    K: t.T4,
    /** Timer L: wait for INVITE retransmits after a 2xx, 64*T1 (RFC 6026 section 8.7). */
    L: 64 * t.T1,
    /** 2xx retransmission by the UAS core: gives up after 64*T1 (RFC 3261 section 13.3.1.4). */
    ACK_WAIT: 64 * t.T1,
  } as const;
}

/** RFC 3261 section 8.1.1.7: the branch of every RFC 3261 request starts with this magic cookie. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/** RFC 3261 section 8.1.1.6: a UAC SHOULD set Max-Forwards to 70. */
export const DEFAULT_MAX_FORWARDS = 70;

/** RFC 3261 section 19.1.2 / 18.1.1: default port of the sip: scheme over UDP, TCP and SCTP. */
export const DEFAULT_SIP_PORT = 5060;

/** Bounds the parser enforces before spending memory on a message. */
export interface SipParseLimits {
  /** Largest whole message (headers + body) in bytes; larger requests earn a 513 (RFC 3261 section 21.5.14). */
  readonly maxMessageBytes: number;
  /** Most header lines (after unfolding) one message may carry. */
  readonly maxHeaders: number;
  /** Longest single header line (after unfolding), in bytes. */
  readonly maxHeaderLineBytes: number;
}

export const DEFAULT_PARSE_LIMITS: SipParseLimits = {
  // The largest IPv4 UDP payload is 65,507 bytes (RFC 768 length field minus
  // the IP and UDP headers), so no UDP peer can send more; TCP and WebSocket
  // peers are held to the same bound.
  maxMessageBytes: 65_507,
  // A softphone INVITE carries about 15 to 25 headers; 128 leaves room for
  // proxies' Via and Record-Route stacks without letting a peer allocate freely.
  maxHeaders: 128,
  // Long enough for a Via or Record-Route list folded into one line.
  maxHeaderLineBytes: 8192,
};
