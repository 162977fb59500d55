/**
 * One call's RTP socket (RFC 3550 over UDP, profile RTP/AVP of RFC 3551):
 * an even port from the OS (section 11: RTP on even ports), symmetric RTP
 * (RFC 4961), G.711 at 8 kHz both ways and RFC 4733 telephone-events in.
 *
 * Every packet is hostile until shown otherwise: a flood beyond the packet
 * rate, bytes that are not RTP, a payload type the answer did not name, or
 * a source other than the offered (or latched) one is dropped and counted,
 * and touches nothing else. Audio is reordered by the jitter buffer and
 * decoded; events go through the key tracker, so each press counts once.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from '../../dsp/g711.ts';
import { JitterBuffer } from '../../rtp/jitter-buffer.ts';
import { AUDIO_CLOCK_HZ } from '../../rtp/rtp-constants.ts';
import { RtpParseError } from '../../rtp/rtp-error.ts';
import { buildRtpPacket, parseRtpPacket, rtpPacketLength, type RtpPacket, type RtpPacketFields } from '../../rtp/rtp-packet.ts';
import { RtpSourceFilter } from '../../rtp/rtp-source-filter.ts';
import { TelephoneEventTracker } from '../../rtp/telephone-event-tracker.ts';
import type { NegotiatedAudio } from '../../sdp/audio-answer.ts';
import { EventRateLimit } from '../event-rate-limit.ts';
import { SharedFrameCache } from '../shared-frame-cache.ts';
import type { CallMediaLeg, MediaSink } from './call-media-leg.ts';
import { PacketSlab } from './packet-slab.ts';

export type RtpSink = MediaSink;

export interface RtpStats {
  /** Packets taken: audio and events from the accepted source. */
  accepted: number;
  /** From an address other than the offered or latched one. */
  foreign: number;
  /** A payload type the answer did not name. */
  payloadType: number;
  /** Not an RTP packet. */
  malformed: number;
  /** Over the per-call packet rate. */
  flood: number;
  /** Arrived before the answer or while the call is on hold. */
  idle: number;
}

/** The OS hands out odd ports too; a few tries find an even one. */
const EVEN_PORT_TRIES = 32;
const RATE_WINDOW_MS = 1000;

/** The G.711 codes of each frame of never-modified audio (prompts, hold music, silence), made once for every call. */
/** Every call's outgoing packets, from shared slabs. */
const PACKETS = new PacketSlab();
/**
 * The cached codes of shared frames, from slabs of their own: a cached
 * view lives as long as the process, and would pin a whole slab of packets.
 */
const CODES = new PacketSlab();

const SHARED_CODES = {
  PCMU: new SharedFrameCache((samples) => encodeMulaw(samples, CODES.take(samples.length))),
  PCMA: new SharedFrameCache((samples) => encodeAlaw(samples, CODES.take(samples.length))),
};

export class RtpChannel implements CallMediaLeg {
  readonly port: number;
  /** The SIP core writes the answers, naming this port. */
  readonly ownAnswers = undefined;
  readonly stats: RtpStats = { accepted: 0, foreign: 0, payloadType: 0, malformed: 0, flood: 0, idle: 0 };
  private readonly socket: Socket;
  private readonly rate: EventRateLimit;
  private readonly jitter = new JitterBuffer({ depth: 3 });
  private readonly tracker = new TelephoneEventTracker();
  private audio: NegotiatedAudio | undefined;
  private filter: RtpSourceFilter | undefined;
  private signallingHost = '';
  private sink: RtpSink | undefined;
  private closed = false;
  // RFC 3550 section 5.1: SSRC, sequence number and timestamp start random.
  private readonly ssrc = randomInt(0, 2 ** 32);
  private sequence = randomInt(0, 2 ** 16);
  private timestamp = randomInt(0, 2 ** 32);
  private sentFirst = false;
  private payload = new Uint8Array(0);
  private decoded = new Int16Array(0);

  private constructor(socket: Socket, maxPacketsPerSecond: number) {
    this.socket = socket;
    this.port = socket.address().port;
    this.rate = new EventRateLimit(maxPacketsPerSecond, RATE_WINDOW_MS);
    socket.on('message', (bytes, from) => this.receive(bytes, from));
    socket.on('error', () => {});
  }

  /** Binds an even UDP port on `host`. */
  static async open(host: string, maxPacketsPerSecond: number): Promise<RtpChannel> {
    const type = host.includes(':') ? 'udp6' : 'udp4';
    for (let i = 0; i < EVEN_PORT_TRIES; i++) {
      const socket = createSocket({ type });
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        // Exclusive: in a cluster worker a port-0 socket is otherwise one handle shared through the primary.
        socket.bind({ port: 0, address: host, exclusive: true }, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      if (socket.address().port % 2 === 0) return new RtpChannel(socket, maxPacketsPerSecond);
      socket.close();
    }
    throw new Error(`no even UDP port for RTP on ${host} after ${EVEN_PORT_TRIES} tries`);
  }

  get summary(): string {
    return `rtp port ${this.port}`;
  }

  /** The answer is sent: take audio as it names it. */
  start(audio: NegotiatedAudio, signallingHost: string, sink: RtpSink): void {
    this.audio = audio;
    this.signallingHost = signallingHost;
    this.filter = new RtpSourceFilter(audio.remote, signallingHost);
    this.sink = sink;
  }

  /** A re-INVITE or UPDATE changed the media: new address, codec or hold. */
  update(audio: NegotiatedAudio): void {
    this.audio = audio;
    this.filter?.update(audio.remote, this.signallingHost);
  }

  /** Whether the caller has put the call on hold (RFC 3264 section 8.4). */
  get onHold(): boolean {
    return this.audio?.onHold ?? false;
  }

  /** One frame of what the caller hears, as one RTP packet (`shared`: the same samples, never modified, whose codes are cached). */
  send(frame: Int16Array, shared?: Int16Array): void {
    const audio = this.audio;
    const to = this.filter?.source;
    if (this.closed || !audio || !to || audio.onHold) return;
    const pcmu = audio.codec.name === 'PCMU';
    let payload: Uint8Array;
    if (shared) payload = SHARED_CODES[pcmu ? 'PCMU' : 'PCMA'].get(shared);
    else {
      if (this.payload.length !== frame.length) this.payload = new Uint8Array(frame.length);
      payload = pcmu ? encodeMulaw(frame, this.payload) : encodeAlaw(frame, this.payload);
    }
    const fields: RtpPacketFields = {
      payloadType: audio.codec.payloadType,
      sequenceNumber: this.sequence,
      timestamp: this.timestamp,
      ssrc: this.ssrc,
      // RFC 3551 section 4.1: the marker flags the first packet of a talkspurt.
      marker: !this.sentFirst,
      payload,
    };
    const packet = buildRtpPacket(fields, PACKETS.take(rtpPacketLength(fields)));
    this.sentFirst = true;
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + frame.length) >>> 0;
    this.socket.send(packet, to.port, to.address);
  }

  /** Ends the stream: what the tracker still holds is reported, then the socket closes. */
  close(): string {
    if (this.closed) return this.counts();
    this.closed = true;
    if (this.sink && this.audio && !this.audio.onHold) {
      for (const packet of this.jitter.flush()) this.deliverAudio(packet);
      for (const press of this.tracker.flush()) this.sink.digit(press.key, press.duration / (AUDIO_CLOCK_HZ / 1000));
    }
    this.socket.close();
    return this.counts();
  }

  private counts(): string {
    const s = this.stats;
    return `rtp accepted=${s.accepted} dropped foreign=${s.foreign} payload-type=${s.payloadType} malformed=${s.malformed} flood=${s.flood} idle=${s.idle}`;
  }

  private receive(bytes: Uint8Array, from: RemoteInfo): void {
    if (this.closed) return;
    if (!this.rate.allow(performance.now())) {
      this.stats.flood++;
      return;
    }
    let packet: RtpPacket;
    try {
      packet = parseRtpPacket(bytes);
    } catch (error) {
      if (!(error instanceof RtpParseError)) throw error;
      this.stats.malformed++;
      return;
    }
    const audio = this.audio;
    const filter = this.filter;
    if (!audio || !filter || !this.sink || audio.onHold) {
      this.stats.idle++;
      return;
    }
    const isAudio = packet.payloadType === audio.codec.payloadType;
    const isEvent = packet.payloadType === audio.telephoneEvent?.payloadType;
    if (!isAudio && !isEvent) {
      this.stats.payloadType++;
      return;
    }
    if (filter.check({ address: from.address, port: from.port }) === 'foreign') {
      this.stats.foreign++;
      return;
    }
    this.stats.accepted++;
    if (isAudio) {
      for (const released of this.jitter.push(packet)) this.deliverAudio(released);
      return;
    }
    let presses;
    try {
      presses = this.tracker.push(packet);
    } catch (error) {
      if (!(error instanceof RtpParseError)) throw error;
      this.stats.malformed++;
      return;
    }
    for (const press of presses) this.sink.digit(press.key, press.duration / (AUDIO_CLOCK_HZ / 1000));
  }

  private deliverAudio(packet: RtpPacket): void {
    // The sink consumes the samples before it returns, so one buffer serves every packet of the call.
    if (this.decoded.length !== packet.payload.length) this.decoded = new Int16Array(packet.payload.length);
    const samples = this.audio!.codec.name === 'PCMU' ? decodeMulaw(packet.payload, this.decoded) : decodeAlaw(packet.payload, this.decoded);
    this.sink!.audio(samples);
  }
}
