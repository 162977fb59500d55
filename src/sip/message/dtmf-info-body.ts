/**
 * The DTMF key a SIP INFO request carries, in the two bodies softphones send:
 *  - `application/dtmf-relay` (the de-facto format of Cisco, JsSIP and SIP.js):
 *    lines `Signal=5` and `Duration=160` (ms); some senders write `*` and `#`
 *    as the RFC 4733 event codes 10 and 11 (RFC 4733 section 3.2, Table 7).
 *  - `application/dtmf`: the key itself as the whole body.
 * No I/O; the body is untrusted and never echoed.
 */
import { isDtmfKey, type DtmfKey } from '../../dsp/dtmf-keys.ts';

export interface InfoDigit {
  readonly key: DtmfKey;
  /** The press length the sender stated, ms; 0 when it gave none. */
  readonly durationMs: number;
}

/** Bodies longer than this are no DTMF body (a relay body is under 40 bytes). */
const MAX_BODY_BYTES = 256;
/** A stated duration beyond this is not believed (a press is well under a minute). */
const MAX_DURATION_MS = 60_000;

const decoder = new TextDecoder();

/** The key in an INFO body, or undefined when the body is not DTMF or is malformed. */
export function parseDtmfInfo(contentType: string | undefined, body: Uint8Array): InfoDigit | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (body.length === 0 || body.length > MAX_BODY_BYTES) return undefined;
  const text = decoder.decode(body);
  if (type === 'application/dtmf') {
    const key = signalKey(text.trim());
    return key === undefined ? undefined : { key, durationMs: 0 };
  }
  if (type !== 'application/dtmf-relay') return undefined;
  let key: DtmfKey | undefined;
  let durationMs = 0;
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z]+)\s*=\s*(\S*)\s*$/.exec(line);
    if (!match) continue;
    const name = match[1]!.toLowerCase();
    if (name === 'signal') key = signalKey(match[2]!);
    else if (name === 'duration' && /^\d{1,6}$/.test(match[2]!)) durationMs = Math.min(Number(match[2]), MAX_DURATION_MS);
  }
  return key === undefined ? undefined : { key, durationMs };
}

function signalKey(signal: string): DtmfKey | undefined {
  if (signal === '10') return '*';
  if (signal === '11') return '#';
  const upper = signal.toUpperCase();
  return upper.length === 1 && isDtmfKey(upper) ? upper : undefined;
}
