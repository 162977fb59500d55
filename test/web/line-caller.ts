/**
 * Test helper: a caller on the native /call protocol from Node, keying
 * in-band DTMF made by synthesizeDtmf (as the README's example client does),
 * for tests whose browser pages need someone else in the conference.
 */
import WebSocket from 'ws';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';

const RATE = 8000;
const FRAME = RATE / 50; // 20 ms

export interface LineCaller {
  /** Resolves when the service reports entering `state`. */
  waitForState(state: string, timeoutMs?: number): Promise<void>;
  /** Keys `digits` as audio, in real time. */
  press(digits: string): void;
  readonly callId: Promise<string>;
  hangup(): Promise<void>;
}

export function callLine(serverUrl: string, from: string): LineCaller {
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/call`);
  let audio: Int16Array = new Int16Array(0);
  const states: string[] = [];
  const waiters: { state: string; resolve: () => void }[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  const callId = new Promise<string>((resolve) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const event = JSON.parse(data.toString()) as { event: string; state?: string; callId?: string };
      if (event.event === 'call-started') resolve(event.callId ?? '');
      if (event.event === 'state-entered' && event.state) {
        states.push(event.state);
        for (const waiter of waiters.filter((w) => w.state === event.state)) waiter.resolve();
      }
    });
  });
  ws.on('open', () => {
    ws.send(JSON.stringify({ event: 'start', sampleRate: RATE, from }));
    timer = setInterval(() => {
      const frame = new Int16Array(FRAME);
      frame.set(audio.subarray(0, FRAME));
      audio = audio.subarray(FRAME);
      ws.send(Buffer.from(frame.buffer));
    }, 20);
  });
  ws.on('close', () => clearInterval(timer));
  ws.on('error', () => clearInterval(timer));
  return {
    callId,
    waitForState(state, timeoutMs = 15_000) {
      if (states.includes(state)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error(`${from} never reached ${state}; states: ${states.join(', ')}`)), timeoutMs);
        waiters.push({ state, resolve: () => (clearTimeout(timeout), resolve()) });
      });
    },
    press(digits) {
      audio = synthesizeDtmf(digits, { sampleRate: RATE });
    },
    async hangup() {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ event: 'hangup' }));
      await new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve())));
    },
  };
}
