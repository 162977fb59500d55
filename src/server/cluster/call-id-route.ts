/**
 * Which worker a SIP datagram goes to under `serve --workers`: the one its
 * Call-ID hashes to. Every request and response of a dialog carries the
 * same Call-ID (RFC 3261 section 8.1.1.4), so a dialog stays on one worker
 * with no table to share. Pure: bytes in, an index out. Only the header
 * section is read; the worker's own parser judges the message.
 */

const CRLF_CRLF = [13, 10, 13, 10] as const;

/** The Call-ID (or its compact form `i`, RFC 3261 section 7.3.3) of a datagram; undefined when it has none. */
export function callIdOf(datagram: Uint8Array): string | undefined {
  let end = datagram.length;
  for (let i = 0; i + 3 < datagram.length; i++) {
    if (CRLF_CRLF.every((byte, k) => datagram[i + k] === byte)) {
      end = i;
      break;
    }
  }
  const head = new TextDecoder('latin1').decode(datagram.subarray(0, end));
  for (const line of head.split('\r\n').slice(1)) {
    const match = /^(?:call-id|i)[ \t]*:[ \t]*(.*?)[ \t]*$/i.exec(line);
    if (match && match[1] !== '') return match[1];
  }
  return undefined;
}

/** The worker slot for a Call-ID: FNV-1a over its characters, modulo the number of workers. */
export function workerFor(callId: string | undefined, workers: number): number {
  if (callId === undefined) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < callId.length; i++) {
    hash ^= callId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % workers;
}
