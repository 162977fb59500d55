/**
 * A load caller over WebSocket: native /call (8 or 16 kHz PCM) or Twilio
 * /twilio (µ-law in JSON). Call events arrive on the socket, so a digit's
 * time is the arrival of its digit-heard message here.
 */
import WebSocket from 'ws';
import { encodeMulaw } from '../src/dsp/g711.ts';
import { FRAME_MS, LoadCall } from './load-call.ts';

export class LoadWebSocketCall extends LoadCall {
  readonly protocol: 'native' | 'twilio';
  private readonly socket: WebSocket;
  private chunk = 0;
  private readonly streamSid: string;

  constructor(url: string, protocol: 'native' | 'twilio', rate: number, index: number, conference: string, organizer: boolean, pin: string, onDone: () => void) {
    super(rate, conference, organizer, pin, onDone);
    this.protocol = protocol;
    this.streamSid = `MZ${index.toString(16).padStart(32, '0')}`;
    const path = this.protocol === 'native' ? '/call' : '/twilio?events=1';
    // An all-zero mask lets ws skip masking (and copying) each frame: fine for
    // a load generator on loopback, never for a browser.
    this.socket = new WebSocket(url.replace(/^http/, 'ws') + path, { perMessageDeflate: false, generateMask: (mask) => void mask.fill(0) });
    this.socket.on('open', () => this.open());
    this.socket.on('message', (data: Buffer, isBinary) => this.message(data, isBinary));
    this.socket.on('error', (error) => (this.error ??= error.message));
    this.socket.on('close', (code) => this.ended(`closed ${code}`));
  }

  private open(): void {
    if (this.protocol === 'native') {
      this.socket.send(JSON.stringify({ event: 'start', sampleRate: this.rate, from: `+1555${this.streamSid.slice(-7)}` }));
    } else {
      this.socket.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
      this.socket.send(
        JSON.stringify({
          event: 'start',
          sequenceNumber: '1',
          streamSid: this.streamSid,
          start: {
            streamSid: this.streamSid,
            callSid: `CA${this.streamSid.slice(2)}`,
            accountSid: 'AC0',
            tracks: ['inbound'],
            customParameters: {},
            mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
          },
        }),
      );
    }
    this.startStream();
  }

  protected transmit(frame: Int16Array | undefined): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.protocol === 'native') {
      this.socket.send(frame ? Buffer.from(frame.buffer) : silence(this.frameSamples * 2));
      return;
    }
    this.chunk++;
    const payload = frame ? Buffer.from(encodeMulaw(frame)).toString('base64') : SILENT_MULAW_B64;
    this.socket.send(
      `{"event":"media","sequenceNumber":"${this.chunk + 1}","streamSid":"${this.streamSid}","media":{"track":"inbound","chunk":"${this.chunk}","timestamp":"${this.chunk * FRAME_MS}","payload":"${payload}"}}`,
    );
  }

  private message(data: Buffer, isBinary: boolean): void {
    const at = performance.now();
    if (isBinary || (data[2] === 0x65 && data.subarray(0, 17).toString() === '{"event":"media",')) return this.arrived(at);
    this.callEvent(JSON.parse(data.toString()), at);
  }

  hangup(): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.protocol === 'native') this.socket.send('{"event":"hangup"}');
    else this.socket.send(`{"event":"stop","streamSid":"${this.streamSid}","stop":{}}`);
  }
}

const silentBuffers = new Map<number, Buffer>();
function silence(bytes: number): Buffer {
  let buffer = silentBuffers.get(bytes);
  if (!buffer) silentBuffers.set(bytes, (buffer = Buffer.alloc(bytes)));
  return buffer;
}
const SILENT_MULAW_B64 = Buffer.from(encodeMulaw(new Int16Array(160))).toString('base64');
