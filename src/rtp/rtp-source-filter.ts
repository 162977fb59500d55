/**
 * Which source a call takes RTP from. Symmetric RTP (RFC 4961): the caller
 * sends from where it receives, so the address in its offer's c=/m= lines
 * is the only source accepted. When that address cannot be the real source,
 * the first packet's source is latched instead, as SBCs do for callers
 * behind NAT (RFC 7362 section 4.1): an unspecified address (0.0.0.0, ::),
 * or a private one (RFC 1918, RFC 4193) that differs from the address the
 * SIP request arrived from, or any address but loopback when the request
 * came over loopback: a caller on this host offers the address of its
 * default interface (baresip 1.0, liblinphone 5 do), yet its packets to a
 * loopback socket come from loopback. Packets
 * from anywhere else are refused.
 */
export interface RtpAddress {
  readonly address: string;
  readonly port: number;
}

export type RtpSourceVerdict = 'accept' | 'latched' | 'foreign';

export class RtpSourceFilter {
  private expected: RtpAddress | undefined;

  /** `offered` is the offer's c=/m= address; `signalling` the host the INVITE came from. */
  constructor(offered: RtpAddress, signalling: string) {
    this.expected = usableAddress(offered, signalling) ? offered : undefined;
  }

  /** Where RTP is expected from (and sent to) now; undefined until a latch. */
  get source(): RtpAddress | undefined {
    return this.expected;
  }

  check(from: RtpAddress): RtpSourceVerdict {
    if (!this.expected) {
      this.expected = { address: from.address, port: from.port };
      return 'latched';
    }
    // The same strings as last time need none of sameAddress's normalising (the common case: every packet of the call).
    if (from.port === this.expected.port && from.address === this.expected.address) return 'accept';
    return sameAddress(from, this.expected) ? 'accept' : 'foreign';
  }

  /** A new offer (re-INVITE) names a new address; a latched source stays when the offer is unusable. */
  update(offered: RtpAddress, signalling: string): void {
    if (usableAddress(offered, signalling)) this.expected = offered;
  }
}

export function usableAddress(offered: RtpAddress, signalling: string): boolean {
  const host = bare(offered.address);
  if (offered.port <= 0 || host === '0.0.0.0' || host === '::' || host === '') return false;
  if (isLoopback(bare(signalling)) && !isLoopback(host)) return false;
  return !(isPrivate(host) && host !== bare(signalling));
}

/** 127.0.0.0/8 and ::1 (RFC 1122 section 3.2.1.3, RFC 4291 section 2.5.3). */
function isLoopback(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

function sameAddress(a: RtpAddress, b: RtpAddress): boolean {
  return a.port === b.port && bare(a.address) === bare(b.address);
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) as the IPv4 address, brackets removed. */
function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();
}

function isPrivate(host: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    // RFC 1918 section 3, and RFC 6598's shared address space of carrier-grade NAT.
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  // RFC 4193: unique local fc00::/7.
  return /^f[cd][0-9a-f]{2}:/.test(host);
}
