/**
 * Reads a session description (RFC 4566 section 5): `<type>=<value>` lines
 * in the order of section 5, session part first, then one section per m=.
 * LF alone is accepted as a line end (section 5 asks parsers to be lenient
 * about it). Throws only SdpParseError.
 */
import { SdpParseError } from './sdp-error.ts';
import type { SdpAttribute, SdpConnection, SdpLine, SdpOrigin, SessionDescription } from './session-description.ts';

/** A softphone offer is under 2 KB; this bounds what a hostile peer can make the parser hold. */
const MAX_SDP_BYTES = 16_384;
/** Bounds the m= sections one offer may carry. */
const MAX_MEDIA = 16;

interface MediaDraft {
  media: string;
  port: number;
  portCount: number | undefined;
  proto: string;
  formats: string[];
  connection: SdpConnection | undefined;
  otherLines: SdpLine[];
  attributes: SdpAttribute[];
}

export function parseSdp(text: string): SessionDescription {
  if (text.length > MAX_SDP_BYTES) throw new SdpParseError('too-large', `over ${MAX_SDP_BYTES} bytes`);
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let origin: SdpOrigin | undefined;
  let sessionName: string | undefined;
  let connection: SdpConnection | undefined;
  const otherLines: SdpLine[] = [];
  const attributes: SdpAttribute[] = [];
  const media: MediaDraft[] = [];
  lines.forEach((line, index) => {
    const number = index + 1;
    const match = /^([a-z])=(.*)$/.exec(line);
    if (!match) throw new SdpParseError('bad-line', `"${cut(line)}" is not <type>=<value>`, number);
    const [, type, value] = match as unknown as [string, string, string];
    if (index === 0) {
      if (type !== 'v' || value !== '0') throw new SdpParseError('bad-version', 'the first line must be v=0', number);
      return;
    }
    const section = media[media.length - 1];
    switch (type) {
      case 'v':
        throw new SdpParseError('bad-line', 'a second v= line', number);
      case 'o':
        if (origin || section) throw new SdpParseError('bad-line', 'o= out of place', number);
        origin = parseOrigin(value, number);
        return;
      case 's':
        if (sessionName !== undefined || section) throw new SdpParseError('bad-line', 's= out of place', number);
        sessionName = value;
        return;
      case 'c': {
        const parsed = parseConnection(value, number);
        if (section) section.connection = parsed;
        else connection = parsed;
        return;
      }
      case 'a': {
        const colon = value.indexOf(':');
        const attribute = colon < 0 ? { name: value, value: undefined } : { name: value.slice(0, colon), value: value.slice(colon + 1) };
        if (!/^[A-Za-z0-9\-._]+$/.test(attribute.name)) throw new SdpParseError('bad-line', `bad attribute name "${cut(attribute.name)}"`, number);
        (section ? section.attributes : attributes).push(attribute);
        return;
      }
      case 'm':
        if (media.length >= MAX_MEDIA) throw new SdpParseError('too-large', `more than ${MAX_MEDIA} m= lines`, number);
        media.push(parseMediaLine(value, number));
        return;
      default:
        (section ? section.otherLines : otherLines).push({ type, value });
    }
  });
  if (!origin) throw new SdpParseError('missing-line', 'no o= line');
  if (sessionName === undefined) throw new SdpParseError('missing-line', 'no s= line');
  return { origin, sessionName, connection, otherLines, attributes, media };
}

function parseOrigin(value: string, line: number): SdpOrigin {
  const parts = value.split(' ');
  if (parts.length !== 6 || parts[3] !== 'IN' || !/^\d+$/.test(parts[1]!) || !/^\d+$/.test(parts[2]!)) {
    throw new SdpParseError('bad-origin', `bad o= line "${cut(value)}"`, line);
  }
  return { username: parts[0]!, sessionId: parts[1]!, sessionVersion: parts[2]!, addressType: parts[4]!, address: parts[5]! };
}

function parseConnection(value: string, line: number): SdpConnection {
  // Section 5.7: c=IN IP4 <address>[/ttl[/count]]; unicast audio has no TTL, so it is dropped.
  const match = /^IN (IP4|IP6) ([0-9A-Za-z.:\-]+)(?:\/\d+){0,2}$/.exec(value);
  if (!match) throw new SdpParseError('bad-connection', `bad c= line "${cut(value)}"`, line);
  return { addressType: match[1]!, address: match[2]! };
}

function parseMediaLine(value: string, line: number): MediaDraft {
  // Section 5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
  const match = /^([a-z]+) (\d{1,5})(?:\/(\d+))? ([A-Za-z0-9/.\-_]+)((?: [^ ]+)+)$/.exec(value);
  if (!match || Number(match[2]) > 65535) throw new SdpParseError('bad-media', `bad m= line "${cut(value)}"`, line);
  return {
    media: match[1]!,
    port: Number(match[2]),
    portCount: match[3] === undefined ? undefined : Number(match[3]),
    proto: match[4]!,
    formats: match[5]!.trim().split(' '),
    connection: undefined,
    otherLines: [],
    attributes: [],
  };
}

function cut(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 50 ? `${printable.slice(0, 47)}...` : printable;
}

