import { describe, expect, it } from 'vitest';
import { encodeMulaw } from '../../src/dsp/g711.ts';
import { NativeProtocol } from '../../src/server/native-protocol.ts';
import { ProtocolError } from '../../src/server/protocol-error.ts';
import { TwilioProtocol } from '../../src/server/twilio-protocol.ts';
import { VonageProtocol } from '../../src/server/vonage-protocol.ts';
import type { CallEvent } from '../../src/session/call-events.ts';
import { CallerFieldError } from '../../src/session/caller-fields.ts';

const text = (value: unknown) => Buffer.from(JSON.stringify(value));

function rejects(fn: () => unknown, code: string, closeCode: number): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe(code);
    expect((error as ProtocolError).closeCode).toBe(closeCode);
    return;
  }
  throw new Error(`expected ${code}`);
}

/** The message of the CallerFieldError `fn` throws. */
function fieldProblem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallerFieldError);
    expect((error as CallerFieldError).code).toBe('E_BAD_FIELD');
    return (error as CallerFieldError).message;
  }
  throw new Error('expected E_BAD_FIELD');
}

const twilioStart = (format: Record<string, unknown> = { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 }) => ({
  event: 'start',
  sequenceNumber: '1',
  start: { streamSid: 'MZ1', callSid: 'CA1', accountSid: 'AC1', tracks: ['inbound'], customParameters: { from: '+15550100' }, mediaFormat: format },
  streamSid: 'MZ1',
});

describe('NativeProtocol', () => {
  it('starts with the requested rate and caller', () => {
    const native = new NativeProtocol();
    expect(native.receive(text({ event: 'start', sampleRate: 16000, from: '+1555' }), false)).toEqual({
      type: 'start',
      sampleRate: 16000,
      from: '+1555',
    });
  });

  it('stitches samples split at odd byte boundaries', () => {
    const native = new NativeProtocol();
    native.receive(text({ event: 'start', sampleRate: 8000 }), false);
    const bytes = Buffer.from(new Int16Array([1000, -2000, 3000]).buffer);
    const first = native.receive(bytes.subarray(0, 3), true);
    const second = native.receive(bytes.subarray(3), true);
    expect(first.type === 'audio' && [...first.samples]).toEqual([1000]);
    expect(second.type === 'audio' && [...second.samples]).toEqual([-2000, 3000]);
  });

  it('rejects audio before start, unknown events, bad JSON and unsupported rates', () => {
    rejects(() => new NativeProtocol().receive(Buffer.alloc(4), true), 'E_NOT_STARTED', 1008);
    rejects(() => new NativeProtocol().receive(text({ event: 'dance' }), false), 'E_UNKNOWN_EVENT', 1008);
    rejects(() => new NativeProtocol().receive(Buffer.from('{"event":'), false), 'E_INVALID_JSON', 1007);
    rejects(() => new NativeProtocol().receive(text([1, 2]), false), 'E_INVALID_JSON', 1007);
    rejects(() => new NativeProtocol().receive(text({ event: 'start', sampleRate: 44100 }), false), 'E_SAMPLE_RATE', 1003);
    const native = new NativeProtocol();
    native.receive(text({ event: 'start', sampleRate: 8000 }), false);
    rejects(() => native.receive(text({ event: 'start', sampleRate: 8000 }), false), 'E_ALREADY_STARTED', 1008);
  });

  it('quotes at most 64 characters of an unknown event back to the client', () => {
    const name = 'x'.repeat(100_000);
    try {
      new NativeProtocol().receive(text({ event: name }), false);
      expect.unreachable('an unknown event must be rejected');
    } catch (error) {
      expect((error as Error).message).toBe(`unknown event "${'x'.repeat(63)}...`);
    }
  });

  it('sends every call event as JSON and audio as 16-bit little-endian PCM', () => {
    const native = new NativeProtocol();
    const event: CallEvent = { event: 'state-entered', state: 'lobby', callMs: 12 };
    expect(native.encodeEvent(event)).toEqual([JSON.stringify(event)]);
    const frame = native.encodeAudio(new Int16Array([1, -1])) as Buffer;
    expect([...frame]).toEqual([1, 0, 0xff, 0xff]);
  });
});

describe('TwilioProtocol', () => {
  it('decodes µ-law media after start and reads the caller from customParameters', () => {
    const twilio = new TwilioProtocol({ extraEvents: false });
    expect(twilio.receive(text({ event: 'connected', protocol: 'Call', version: '1.0.0' }), false).type).toBe('ignore');
    expect(twilio.receive(text(twilioStart()), false)).toEqual({ type: 'start', sampleRate: 8000, from: '+15550100', reference: 'CA1' });
    const payload = Buffer.from(encodeMulaw(new Int16Array([0, 1000, -1000]))).toString('base64');
    const action = twilio.receive(text({ event: 'media', streamSid: 'MZ1', media: { track: 'inbound', chunk: '1', timestamp: '5', payload } }), false);
    expect(action.type).toBe('audio');
    if (action.type === 'audio') {
      expect(action.samples[0]).toBe(0);
      expect(Math.abs(action.samples[1]! - 1000)).toBeLessThan(40);
      expect(Math.abs(action.samples[2]! + 1000)).toBeLessThan(40);
    }
  });

  it('turns dtmf into an out-of-band digit and stop into a hangup', () => {
    const twilio = new TwilioProtocol({ extraEvents: false });
    twilio.receive(text(twilioStart()), false);
    expect(twilio.receive(text({ event: 'dtmf', streamSid: 'MZ1', dtmf: { track: 'inbound_track', digit: '#' } }), false)).toEqual({
      type: 'dtmf',
      digit: '#',
    });
    expect(twilio.receive(text({ event: 'stop', streamSid: 'MZ1', stop: { callSid: 'CA1' } }), false)).toEqual({ type: 'hangup' });
  });

  it('rejects binary frames, garbage base64, other media formats and media before start', () => {
    rejects(() => new TwilioProtocol({ extraEvents: false }).receive(Buffer.alloc(160), true), 'E_BINARY_UNSUPPORTED', 1003);
    rejects(
      () => new TwilioProtocol({ extraEvents: false }).receive(text(twilioStart({ encoding: 'audio/x-alaw', sampleRate: 8000, channels: 1 })), false),
      'E_MEDIA_FORMAT',
      1003,
    );
    rejects(
      () => new TwilioProtocol({ extraEvents: false }).receive(text({ event: 'media', media: { payload: 'AAAA' } }), false),
      'E_NOT_STARTED',
      1008,
    );
    const twilio = new TwilioProtocol({ extraEvents: false });
    twilio.receive(text(twilioStart()), false);
    rejects(() => twilio.receive(text({ event: 'media', media: { payload: 'not base64 at all!' } }), false), 'E_BAD_BASE64', 1007);
  });

  it('says what is wrong with a callSid that is too long, empty or not a string', () => {
    const start = (callSid: unknown) => {
      const frame = twilioStart();
      return text({ ...frame, start: { ...frame.start, callSid } });
    };
    const message = (callSid: unknown) => fieldProblem(() => new TwilioProtocol({ extraEvents: false }).receive(start(callSid), false));
    expect(message('C'.repeat(200))).toBe('start.callSid: longer than 64 characters (got 200)');
    expect(message('')).toBe('start.callSid: empty');
    expect(message(42)).toBe('start.callSid: not a string (got number)');
    expect(new TwilioProtocol({ extraEvents: false }).receive(start(`CA${'0'.repeat(32)}`), false)).toMatchObject({ type: 'start' });
  });

  it('marks the end of each prompt and clears Twilio’s buffer on barge-in', () => {
    const twilio = new TwilioProtocol({ extraEvents: false });
    twilio.receive(text(twilioStart()), false);
    const finished = twilio.encodeEvent({ event: 'prompt-stopped', prompt: 'welcome', reason: 'finished', callMs: 1 });
    expect(JSON.parse(finished[0] as string)).toEqual({ event: 'mark', streamSid: 'MZ1', mark: { name: 'welcome#1' } });
    const barged = twilio.encodeEvent({ event: 'prompt-stopped', prompt: 'enter-pin', reason: 'barge-in', callMs: 2 });
    expect(JSON.parse(barged[0] as string)).toEqual({ event: 'clear', streamSid: 'MZ1' });
    expect(twilio.encodeEvent({ event: 'state-entered', state: 'lobby', callMs: 3 })).toEqual([]);
    const media = JSON.parse(twilio.encodeAudio(new Int16Array(160)) as string);
    expect(media).toMatchObject({ event: 'media', streamSid: 'MZ1' });
    expect(Buffer.from(media.media.payload, 'base64')).toHaveLength(160);
  });

  it('sends a shared frame as the same message as the frame itself, for each stream', () => {
    const [first, second] = ['MZ1', 'MZ2'].map((streamSid) => {
      const twilio = new TwilioProtocol({ extraEvents: false });
      twilio.receive(text({ ...twilioStart(), streamSid, start: { ...twilioStart().start, streamSid } }), false);
      return twilio;
    });
    const prompt = Int16Array.from({ length: 320 }, (_, i) => Math.round(9000 * Math.sin(i / 5)));
    const own = prompt.slice(160);
    const shared = first!.encodeAudio(own, false, prompt.subarray(160));
    expect(shared).toBe(first!.encodeAudio(own));
    expect(JSON.parse(second!.encodeAudio(own, false, prompt.subarray(160)) as string)).toEqual({ ...JSON.parse(shared as string), streamSid: 'MZ2' });
  });
});

describe('VonageProtocol', () => {
  const connected = (rate: number) => text({ event: 'websocket:connected', 'content-type': `audio/l16;rate=${rate}` });

  it('accepts 20 ms frames at the announced rate', () => {
    const vonage = new VonageProtocol({ extraEvents: false });
    expect(vonage.receive(connected(16000), false)).toEqual({ type: 'start', sampleRate: 16000 });
    const action = vonage.receive(Buffer.alloc(640), true);
    expect(action.type === 'audio' && action.samples.length).toBe(320);
    expect(vonage.receive(text({ event: 'websocket:dtmf', digit: '5', duration: 260 }), false)).toEqual({
      type: 'dtmf',
      digit: '5',
      durationMs: 260,
    });
  });

  it('rejects frames of the wrong size, audio before connected and unsupported rates', () => {
    const vonage = new VonageProtocol({ extraEvents: false });
    vonage.receive(connected(8000), false);
    rejects(() => vonage.receive(Buffer.alloc(321), true), 'E_FRAME_SIZE', 1007);
    rejects(() => vonage.receive(Buffer.alloc(640), true), 'E_FRAME_SIZE', 1007);
    rejects(() => new VonageProtocol({ extraEvents: false }).receive(Buffer.alloc(320), true), 'E_NOT_STARTED', 1008);
    rejects(() => new VonageProtocol({ extraEvents: false }).receive(connected(44100), false), 'E_SAMPLE_RATE', 1003);
  });

  it('asks Vonage to clear its playback buffer on barge-in', () => {
    const vonage = new VonageProtocol({ extraEvents: false });
    expect(vonage.encodeEvent({ event: 'prompt-stopped', prompt: 'welcome', reason: 'barge-in', callMs: 1 })).toEqual([
      JSON.stringify({ action: 'clear' }),
    ]);
  });
});

describe('caller fields on every protocol', () => {
  const long = 'x'.repeat(65);
  const nativeStart = (from: unknown) => () => new NativeProtocol().receive(text({ event: 'start', sampleRate: 8000, from }), false);
  const twilioFrom = (from: unknown) => () => {
    const frame = twilioStart();
    return new TwilioProtocol({ extraEvents: false }).receive(text({ ...frame, start: { ...frame.start, customParameters: { from } } }), false);
  };
  const vonageFrom = (from: unknown) => () =>
    new VonageProtocol({ extraEvents: false }).receive(text({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=8000', from }), false);

  it('refuses a caller name over 64 characters instead of cutting it, naming the field', () => {
    expect(fieldProblem(nativeStart(long))).toBe('start.from: longer than 64 characters (got 65)');
    expect(fieldProblem(twilioFrom(long))).toBe('start.customParameters.from: longer than 64 characters (got 65)');
    expect(fieldProblem(vonageFrom(long))).toBe('websocket:connected.from: longer than 64 characters (got 65)');
  });

  it('keeps a caller name of exactly 64 characters whole', () => {
    const name = 'y'.repeat(64);
    expect(nativeStart(name)()).toMatchObject({ type: 'start', from: name });
    expect(twilioFrom(name)()).toMatchObject({ type: 'start', from: name });
    expect(vonageFrom(name)()).toMatchObject({ type: 'start', from: name });
  });

  it('takes lower-case letter keys as upper case and refuses anything but one DTMF key', () => {
    const twilio = new TwilioProtocol({ extraEvents: false });
    twilio.receive(text(twilioStart()), false);
    const twilioKey = (digit: unknown) => twilio.receive(text({ event: 'dtmf', dtmf: { track: 'inbound_track', digit } }), false);
    const vonage = new VonageProtocol({ extraEvents: false });
    vonage.receive(text({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=8000' }), false);
    const vonageKey = (digit: unknown) => vonage.receive(text({ event: 'websocket:dtmf', digit }), false);
    expect(twilioKey('b')).toEqual({ type: 'dtmf', digit: 'B' });
    expect(vonageKey('d')).toEqual({ type: 'dtmf', digit: 'D' });
    expect(fieldProblem(() => twilioKey('55'))).toBe('dtmf.digit: not a DTMF key (one of 0-9, *, #, A-D)');
    expect(fieldProblem(() => vonageKey('e'))).toBe('websocket:dtmf.digit: not a DTMF key (one of 0-9, *, #, A-D)');
    expect(fieldProblem(() => vonageKey(5))).toBe('websocket:dtmf.digit: not a string (got number)');
  });
});
