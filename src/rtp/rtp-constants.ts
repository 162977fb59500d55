/** Numbers from RTP (RFC 3550), its audio profile (RFC 3551) and telephone-event (RFC 4733), with their sources. */

/** RFC 3550 section 5.1: the version field is 2. */
export const RTP_VERSION = 2;
/** RFC 3550 section 5.1: the fixed header is 12 bytes before any CSRC. */
export const RTP_HEADER_BYTES = 12;
/** RFC 3550 Appendix A.1: a jump of more than this many sequence numbers ahead is a restart, not loss. */
export const MAX_DROPOUT = 3000;
/** RFC 3550 Appendix A.1: packets up to this far behind count as late, further back as a restart. */
export const MAX_MISORDER = 100;
/** RFC 3551 section 6 Table 4: static payload types of G.711 at 8000 Hz. */
export const PAYLOAD_TYPE_PCMU = 0;
export const PAYLOAD_TYPE_PCMA = 8;
/** RFC 3551 section 4.5: audio codecs here are sampled at 8000 Hz, so RTP timestamps count 8 per ms. */
export const AUDIO_CLOCK_HZ = 8000;
/** RFC 4733 section 2.3: the event payload is 4 bytes. */
export const TELEPHONE_EVENT_BYTES = 4;
/** RFC 4733 section 2.5.1.4: the final packet of an event is sent three times. */
export const END_PACKET_REPEATS = 3;
/** RFC 4733 section 2.5.1.3: durations past 0xFFFF are split into segments with a new timestamp. */
export const MAX_EVENT_DURATION = 0xffff;
