/** Writes a session description in RFC 4566 section 5 order, CRLF line ends. */
import type { SdpAttribute, SdpConnection, SdpLine, SessionDescription } from './session-description.ts';

/** Section 5: session lines other than v, o, s, c come in this order (t= before r= and z=). */
const SESSION_ORDER = ['i', 'u', 'e', 'p', 'b', 't', 'r', 'z', 'k'];

export function serializeSdp(description: SessionDescription): string {
  const origin = description.origin;
  const lines = [
    'v=0',
    `o=${origin.username} ${origin.sessionId} ${origin.sessionVersion} IN ${origin.addressType} ${origin.address}`,
    `s=${description.sessionName}`,
  ];
  const ordered = [...description.otherLines].sort((a, b) => SESSION_ORDER.indexOf(a.type) - SESSION_ORDER.indexOf(b.type));
  const before = ordered.filter((line) => ['i', 'u', 'e', 'p'].includes(line.type));
  const after = ordered.filter((line) => !['i', 'u', 'e', 'p'].includes(line.type));
  lines.push(...before.map(lineText));
  if (description.connection) lines.push(connectionText(description.connection));
  lines.push(...after.map(lineText), ...description.attributes.map(attributeText));
  for (const media of description.media) {
    const port = media.portCount === undefined ? `${media.port}` : `${media.port}/${media.portCount}`;
    lines.push(`m=${media.media} ${port} ${media.proto} ${media.formats.join(' ')}`);
    lines.push(...media.otherLines.filter((line) => line.type === 'i').map(lineText));
    if (media.connection) lines.push(connectionText(media.connection));
    lines.push(...media.otherLines.filter((line) => line.type !== 'i').map(lineText));
    lines.push(...media.attributes.map(attributeText));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function lineText(line: SdpLine): string {
  return `${line.type}=${line.value}`;
}

function connectionText(connection: SdpConnection): string {
  return `c=IN ${connection.addressType} ${connection.address}`;
}

function attributeText(attribute: SdpAttribute): string {
  return attribute.value === undefined ? `a=${attribute.name}` : `a=${attribute.name}:${attribute.value}`;
}
