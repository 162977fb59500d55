/**
 * A dialog as its UAS side sees it (RFC 3261 section 12.1.1): created from
 * the INVITE and the response that carried the UAS's To tag, it keeps what
 * in-dialog requests need, and builds the IVR's own requests (its BYE)
 * as section 12.2.1.1 says.
 */
import { DialinError } from '../../errors.ts';
import { addressTag, serializeNameAddr, type NameAddr } from '../message/name-addr.ts';
import { BRANCH_MAGIC_COOKIE, DEFAULT_MAX_FORWARDS } from '../sip-constants.ts';
import { addressList, createMessage, type SipHeader, type SipRequest, type SipResponse } from '../message/sip-message.ts';
import { isLooseRoute } from '../message/sip-uri.ts';

export class SipDialogError extends DialinError {
  constructor(message: string) {
    super('E_SIP_DIALOG', message);
  }
}

export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

/** Where this UA's own requests say they come from (the top Via it adds). */
export interface LocalAddress {
  /** Via transport token: UDP, TCP, TLS, WS, WSS. */
  readonly transport: string;
  readonly host: string;
  readonly port: number;
}

export interface InDialogRequestOptions {
  /** The branch without the magic cookie; the cookie is added (section 8.1.1.7). */
  readonly branch: string;
  readonly via: LocalAddress;
  readonly headers?: readonly SipHeader[];
  readonly body?: Uint8Array;
}

export type InDialogCheck = 'ok' | 'out-of-order';

export class Dialog {
  readonly id: DialogId;
  /** Section 12.1.1: the UAS's local sequence number starts empty; the first request sets it. */
  private localSeq: number | undefined;
  remoteSeq: number;
  /** The peer's Contact URI; in-dialog requests go there (section 12.1.1). */
  remoteTarget: string;
  /** Record-Route of the INVITE in order (section 12.1.1), as Route values. */
  readonly routeSet: readonly NameAddr[];
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  readonly localContact: string;
  private readonly firstLocalSeq: number;

  private constructor(request: SipRequest, localTag: string, remoteTag: string, remoteTarget: string, routeSet: NameAddr[], localContact: string, firstLocalSeq: number) {
    this.id = { callId: request.callId, localTag, remoteTag };
    this.remoteSeq = request.cseq.seq;
    this.remoteTarget = remoteTarget;
    this.routeSet = routeSet;
    this.localUri = withoutTag(request.to);
    this.remoteUri = withoutTag(request.from);
    this.localContact = localContact;
    this.firstLocalSeq = firstLocalSeq;
  }

  /**
   * The dialog a 2xx (or a 101-199 with a To tag) to `request` creates.
   * `localContact` is the URI this UA put in the response's Contact.
   * `firstLocalSeq` is the CSeq of the UAS's first own request; section
   * 8.1.1.5 only asks that it be below 2**31.
   */
  static fromInvite(request: SipRequest, response: SipResponse, localContact: string, firstLocalSeq = 1): Dialog {
    const localTag = addressTag(response.to);
    const remoteTag = addressTag(request.from);
    if (!localTag) throw new SipDialogError('the response has no To tag, so it creates no dialog');
    // RFC 3261 requires a From tag; an RFC 2543 peer without one has an empty remote tag (section 12.1.1).
    const contacts = addressList(request, 'Contact');
    if (!contacts || contacts.length !== 1 || contacts[0]!.uri === '*') {
      throw new SipDialogError('the INVITE needs exactly one Contact URI (RFC 3261 section 8.1.1.8)');
    }
    const routes = addressList(request, 'Record-Route');
    if (!routes) throw new SipDialogError('the INVITE has a bad Record-Route header');
    return new Dialog(request, localTag, remoteTag ?? '', contacts[0]!.uri, routes, localContact, firstLocalSeq);
  }

  /** Whether an in-dialog request belongs here: Call-ID, To tag = local, From tag = remote (section 12.2.2). */
  matches(request: SipRequest): boolean {
    return request.callId === this.id.callId && addressTag(request.to) === this.id.localTag && (addressTag(request.from) ?? '') === this.id.remoteTag;
  }

  /**
   * Section 12.2.2: a request with a CSeq lower than the last one is out of
   * order and gets a 500; otherwise its number is remembered, and a
   * target-refresh request (re-INVITE, UPDATE) with a Contact moves the
   * remote target. ACK and CANCEL carry the INVITE's number and are not checked.
   */
  receiveRequest(request: SipRequest): InDialogCheck {
    if (request.method === 'ACK' || request.method === 'CANCEL') return 'ok';
    if (request.cseq.seq < this.remoteSeq) return 'out-of-order';
    this.remoteSeq = request.cseq.seq;
    if (request.method === 'INVITE' || request.method === 'UPDATE') {
      const contacts = addressList(request, 'Contact');
      if (contacts && contacts.length === 1 && contacts[0]!.uri !== '*') this.remoteTarget = contacts[0]!.uri;
    }
    return 'ok';
  }

  /**
   * A request inside the dialog (section 12.2.1.1): To is the remote URI with
   * the remote tag, From the local URI with the local tag, CSeq one more than
   * the last local one, and the Request-URI and Route from the route set:
   * loose routing when the first route has `lr`, strict routing otherwise
   * (the first route becomes the Request-URI and the remote target the last Route).
   */
  createRequest(method: string, options: InDialogRequestOptions): SipRequest {
    this.localSeq = this.localSeq === undefined ? this.firstLocalSeq : this.localSeq + 1;
    let uri = this.remoteTarget;
    let routes = this.routeSet.map(serializeNameAddr);
    const first = this.routeSet[0];
    if (first && !isLooseRoute(first.uri)) {
      uri = first.uri;
      routes = [...routes.slice(1), `<${this.remoteTarget}>`];
    }
    const via = `SIP/2.0/${options.via.transport} ${options.via.host}:${options.via.port};branch=${BRANCH_MAGIC_COOKIE}${options.branch};rport`;
    const headers: SipHeader[] = [
      { name: 'Via', value: via },
      { name: 'Max-Forwards', value: String(DEFAULT_MAX_FORWARDS) },
      ...routes.map((value) => ({ name: 'Route', value })),
      { name: 'From', value: serializeNameAddr({ ...this.localUri, params: { ...this.localUri.params, tag: this.id.localTag } }) },
      { name: 'To', value: serializeNameAddr(this.id.remoteTag ? { ...this.remoteUri, params: { ...this.remoteUri.params, tag: this.id.remoteTag } } : this.remoteUri) },
      { name: 'Call-ID', value: this.id.callId },
      { name: 'CSeq', value: `${this.localSeq} ${method}` },
      { name: 'Contact', value: `<${this.localContact}>` },
      ...(options.headers ?? []),
    ];
    return createMessage({ kind: 'request', method, uri }, headers, options.body ?? new Uint8Array(0)) as SipRequest;
  }

  /** The URI the next hop is resolved from (section 8.1.2): the first Route, else the Request-URI. */
  static nextHop(request: SipRequest): string {
    const routes = addressList(request, 'Route');
    return routes?.[0]?.uri ?? request.uri;
  }
}

function withoutTag(address: NameAddr): NameAddr {
  const { tag: _tag, ...params } = address.params;
  return { ...address, params };
}
