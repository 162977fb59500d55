/**
 * The caller side of `npm run load`, in its own process (one of several
 * when the step is split over generators: each opens every K-th call): opens calls to
 * the server (native /call, Twilio /twilio and SIP with RTP, in the turn
 * the mix names) over a ramp, pumps every call's 20 ms frames from one
 * drift-corrected timer, and reports each call's measurements
 * (load-call.ts) when told to hang up.
 */
import type { CallResult, LatencySink, LoadCall, LoadProtocol } from './load-call.ts';
import { deliverSipEvents, LoadSipCall, type SipCallEvent } from './load-sip-call.ts';
import { SipPhoneSockets } from './load-sip-phones.ts';
import { LoadWebSocketCall } from './load-websocket-call.ts';

export interface RunRequest {
  type: 'run';
  url: string;
  /** The SIP service (UDP), for SIP calls. */
  sip: { host: string; port: number };
  /** Call i uses mix[i % mix.length]. */
  mix: LoadProtocol[];
  pin: string;
  /** Calls of the whole step; this generator opens those whose index % generators === generator. */
  calls: number;
  generator: number;
  generators: number;
  rampMs: number;
  /** Conference IDs: calls alternate between them in groups of one turn of the mix. */
  conferences: string[];
  /** Calls with index % organizerEvery === organizerOffset call the first conference and key the PIN. */
  organizerEvery: number;
  organizerOffset: number;
  steadyTimeoutMs: number;
}

export interface RunResult {
  type: 'result';
  /**
   * Digit latencies by when the key was pressed. `server`: arrival minus the
   * moment this process sent the frame that lets the decoder confirm the
   * digit (found by running the same decoder here on the same frames).
   */
  latencies: Partial<Record<LoadProtocol, LatencySink>>;
  calls: CallResult[];
  /** How late this process's frame timer fired (its own load), ms per tick. */
  tickLateMs: number[];
}

/** Every connected call presses `digit` once, at a random moment within `spreadMs`. */
export interface PressRequest {
  type: 'press';
  digit: string;
  spreadMs: number;
}

let calls: LoadCall[] = [];
let sipSockets: SipPhoneSockets | undefined;
const tickLate: number[] = [];
let ticker: NodeJS.Timeout | undefined;

function startTicker(): void {
  // Frames leave at most 2 ms after they are due.
  const periodMs = 2;
  const started = performance.now();
  let tick = 0;
  const run = () => {
    const now = performance.now();
    tickLate.push(now - (started + tick * periodMs));
    for (const call of calls) call.pump(now);
    tick = Math.floor((performance.now() - started) / periodMs) + 1;
    ticker = setTimeout(run, Math.max(0, started + tick * periodMs - performance.now()));
  };
  run();
}

async function run(request: RunRequest): Promise<void> {
  const mine = Math.ceil((request.calls - request.generator) / request.generators);
  let done = 0;
  let steadySent = false;
  const steady = () => {
    if (steadySent) return;
    steadySent = true;
    process.send?.({ type: 'steady', reached: calls.filter((c) => c.reached !== undefined).length });
  };
  // From the start of the ramp: a generator too busy to keep to the ramp still answers.
  setTimeout(steady, request.steadyTimeoutMs).unref();
  startTicker();
  const gap = request.rampMs / request.calls;
  const opened = performance.now();
  const sockets = (sipSockets = new SipPhoneSockets(request.sip, request.generator));
  const { mix } = request;
  for (let index = request.generator; index < request.calls; index += request.generators) {
    const wait = opened + index * gap - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const turn = Math.floor(index / mix.length);
    const organizer = index % request.organizerEvery === request.organizerOffset;
    const conference = organizer ? request.conferences[0]! : request.conferences[turn % request.conferences.length]!;
    const onDone = () => ++done === mine && steady();
    const protocol = mix[index % mix.length]!;
    calls.push(
      protocol === 'sip'
        ? new LoadSipCall(request.sip, sockets.next(), index, conference, organizer, request.pin, onDone)
        : new LoadWebSocketCall(request.url, protocol, protocol === 'native' && turn % 2 === 1 ? 16000 : 8000, index, conference, organizer, request.pin, onDone),
    );
  }
}

async function hangupAll(): Promise<void> {
  for (const call of calls) call.hangup();
  const deadline = performance.now() + 5000;
  while (calls.some((call) => !call.isClosed) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  if (ticker) clearTimeout(ticker);
  await sipSockets?.close();
  const latencies: RunResult['latencies'] = {};
  const results = calls.map((call) => call.result((latencies[call.protocol] ??= { dialing: { total: [], server: [] }, connected: { total: [], server: [] } })));
  const reply: RunResult = { type: 'result', latencies, calls: results, tickLateMs: tickLate };
  calls = [];
  // Exit only once the result has been handed to the IPC channel.
  process.send?.(reply, () => process.exit(0));
}

export interface CpuReply {
  type: 'cpu';
  /** process.cpuUsage() in µs. */
  cpu: { user: number; system: number };
}

function pressAll({ digit, spreadMs }: PressRequest): void {
  for (const call of calls) {
    if (!call.isClosed) setTimeout(() => call.press(digit, 'connected'), Math.random() * spreadMs);
  }
}

/** Call events of SIP calls, as the server's process reported them. */
export interface SipEventsMessage {
  type: 'sip-events';
  events: SipCallEvent[];
}

process.on('message', (message: RunRequest | PressRequest | SipEventsMessage | { type: 'hangup' } | { type: 'freeze' } | { type: 'cpu' }) => {
  if (message.type === 'sip-events') deliverSipEvents(message.events);
  else if (message.type === 'run') void run(message);
  else if (message.type === 'press') pressAll(message);
  else if (message.type === 'cpu') process.send?.({ type: 'cpu', cpu: process.cpuUsage() } satisfies CpuReply);
  else if (message.type === 'freeze') {
    for (const call of calls) call.frozen = true;
    process.send?.({ type: 'frozen' });
  }
  else if (message.type === 'hangup') void hangupAll();
});
process.send?.({ type: 'alive' });
