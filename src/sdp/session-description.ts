/**
 * A session description (RFC 4566 section 5) as plain data: what the
 * offer/answer code and a WebRTC layer read, and what the serializer writes.
 * Lines the core does not use are kept in order so nothing is lost.
 */

export interface SdpAttribute {
  readonly name: string;
  /** undefined for a property attribute such as `a=rtcp-mux`. */
  readonly value: string | undefined;
}

export interface SdpConnection {
  /** IP4 or IP6 (section 5.7). */
  readonly addressType: string;
  readonly address: string;
}

export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly addressType: string;
  readonly address: string;
}

/** A line kept as it was: its type letter and value. */
export interface SdpLine {
  readonly type: string;
  readonly value: string;
}

export interface SdpMedia {
  readonly media: string;
  readonly port: number;
  readonly portCount: number | undefined;
  readonly proto: string;
  readonly formats: readonly string[];
  readonly connection: SdpConnection | undefined;
  /** i=, b= and k= lines of the media section. */
  readonly otherLines: readonly SdpLine[];
  readonly attributes: readonly SdpAttribute[];
}

export interface SessionDescription {
  readonly origin: SdpOrigin;
  readonly sessionName: string;
  readonly connection: SdpConnection | undefined;
  /** i=, u=, e=, p=, b=, t=, r=, z=, k= lines of the session, in order. */
  readonly otherLines: readonly SdpLine[];
  readonly attributes: readonly SdpAttribute[];
  readonly media: readonly SdpMedia[];
}

export function attributeValues(attributes: readonly SdpAttribute[], name: string): string[] {
  return attributes.filter((attribute) => attribute.name === name).map((attribute) => attribute.value ?? '');
}

export function hasAttribute(attributes: readonly SdpAttribute[], name: string): boolean {
  return attributes.some((attribute) => attribute.name === name);
}
