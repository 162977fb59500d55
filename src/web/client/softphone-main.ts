/**
 * The softphone page: wires the dial pad, the settings, the audio engine and
 * the `/call` session together, and shows the call's state and last prompt
 * in plain words, with the service's events in a developer log that starts
 * collapsed. The conference panel beside it is the live monitor, whose polls
 * also tell the page whether the service can be reached.
 */
import type { DtmfKey } from '../../dsp/dtmf-keys.ts';
import { AudioEngine, AudioStartError, DEFAULT_AUDIO_ENGINE_OPTIONS } from './audio-engine.ts';
import { CallSession, type ServerEvent } from './call-session.ts';
import { meetingEndedCaption, promptCaption, stateLabel } from './captions.ts';
import { fillDevicePickers, watchDevices, type DevicePickers } from './device-choice.ts';
import { EventLog, formatCallTime, type LogLine } from './event-log.ts';
import { createKeypad } from './keypad-view.ts';
import { ConferenceMonitor } from './monitor-view.ts';
import { closeSentence, hangupSentence, microphoneSentence } from './outcomes.ts';
import { byId, connection, setLevel, showServiceStatus } from './page-helpers.ts';
import { readSettings, restoreSettings, saveSettings } from './settings-form.ts';
import { ToneScheduler } from './tone-scheduler.ts';

/**
 * States in which the digits keyed and heard are a PIN: shown as dots (`*`
 * and `#` as keyed). The server reports its state before it hears the next
 * tone, which the tone scheduler spaces out, so this is right for heard
 * digits; keys queued right after a `*` are covered by keysArePin.
 */
const PIN_STATES = new Set(['collecting-pin', 'changing-pin', 'verifying-pin']);

/** How long to wait for the server to close after our hangup. */
const HANGUP_GRACE_MS = 2000;

type Phase = 'idle' | 'connecting' | 'in-call' | 'ending';

/** How a call ended, as the display shows it. */
interface Outcome {
  readonly state: 'ended' | 'dropped' | 'unreachable';
  readonly label: string;
  readonly sentence: string;
}

const ui = {
  callButton: byId('call-button', HTMLButtonElement),
  muteButton: byId('mute-button', HTMLButtonElement),
  muteWhy: byId('mute-why', HTMLElement),
  notice: byId('notice', HTMLElement),
  state: byId('call-state', HTMLElement),
  timer: byId('call-timer', HTMLElement),
  prompt: byId('prompt-text', HTMLElement),
  promptName: byId('prompt-name', HTMLElement),
  heard: byId('heard-digits', HTMLElement),
  callInfo: byId('call-info', HTMLElement),
  lineStatus: byId('line-status', HTMLElement),
  txLevel: byId('tx-level', HTMLElement),
  rxLevel: byId('rx-level', HTMLElement),
  settings: byId('settings', HTMLFormElement),
  serverStatus: byId('server-status', HTMLElement),
  monitorStatus: byId('monitor-status', HTMLElement),
};

const log = new EventLog(byId('log', HTMLOListElement));
byId('clear-log', HTMLButtonElement).addEventListener('click', () => log.clear());
const keypad = createKeypad(byId('keypad', HTMLElement), pressKey);
const scheduler = new ToneScheduler();
const { wsUrl, apiHeaders } = connection(location);
const devices: DevicePickers = {
  inputField: byId('input-device-field', HTMLElement),
  input: byId('settings', HTMLFormElement).elements.namedItem('inputDevice') as HTMLSelectElement,
  outputField: byId('output-device-field', HTMLElement),
  output: byId('settings', HTMLFormElement).elements.namedItem('outputDevice') as HTMLSelectElement,
};
/** Set when a call could not reach the service: the monitor's retries then speak on the display. */
let serviceDown = false;
const monitor = new ConferenceMonitor(byId('conferences', HTMLElement), {
  headers: apiHeaders,
  onStatus(status) {
    ui.monitorStatus.textContent = status.text;
    showServiceStatus(ui.serverStatus, status.reachable);
    if (!serviceDown) return;
    if (status.reachable) {
      serviceDown = false;
      showNotice('The service is reachable again. Press Call to dial in.');
    } else {
      showNotice(`Retrying in ${status.retryInS ?? 1} s…`);
    }
  },
});

let phase: Phase = 'idle';
let engine: AudioEngine | undefined;
let session: CallSession | undefined;
let callState = '';
/**
 * A `*` keyed at the leader question or in the lobby: the keys after it are
 * a PIN, though they may be queued before the server reports collecting-pin.
 */
let keysArePin = false;
/** performance.now() when the line opened: the origin of call times, as the server's callMs. */
let callStartMs: number | undefined;
let muted = false;
let hangupTimer: ReturnType<typeof setTimeout> | undefined;
/** Why the server ended the call, from its hung-up event. */
let hangupReason: string | undefined;
/** Whether the line opened: a close before it did means the service was not reached. */
let lineOpened = false;
/** The last call's length, kept on the timer after it ends. */
let endedCallMs: number | undefined;
/** The next digit heard begins a new entry (after `#` or a new prompt), so the shown digits start over. */
let freshEntry = true;
const toneTimers = new Set<ReturnType<typeof setTimeout>>();

restoreSettings(ui.settings);
ui.settings.addEventListener('change', () => saveSettings(ui.settings));
ui.settings.addEventListener('input', () => engine?.setVolume(readSettings(ui.settings).volume));
devices.output.addEventListener('change', () => {
  engine?.setOutputDevice(devices.output.value).catch((error: Error) => {
    addLog({ kind: 'error', text: `speaker not changed: ${error.message}`, data: { event: 'output-error' } });
  });
});
void fillDevicePickers(devices);
watchDevices(devices);
ui.callButton.addEventListener('click', () => (phase === 'idle' ? void dial() : hangUp()));
ui.muteButton.addEventListener('click', () => setMuted(!muted));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && (phase === 'in-call' || phase === 'connecting')) hangUp();
});
setPhase('idle');
monitor.start();

function callMs(): number | undefined {
  return callStartMs === undefined ? undefined : performance.now() - callStartMs;
}

function addLog(line: Omit<LogLine, 'callMs'> & { callMs?: number }): void {
  log.add({ callMs: line.callMs ?? callMs(), kind: line.kind, text: line.text, data: line.data });
}

function setPhase(next: Phase): void {
  phase = next;
  document.body.dataset.phase = next;
  ui.callButton.textContent = next === 'idle' ? 'Call' : next === 'connecting' ? 'Cancel' : 'Hang up';
  ui.callButton.classList.toggle('hangup', next !== 'idle');
  ui.callButton.disabled = next === 'ending';
  ui.muteButton.disabled = next !== 'in-call' || engine?.microphone !== 'on';
  ui.muteWhy.hidden = !ui.muteButton.disabled;
  ui.muteWhy.textContent =
    next !== 'in-call' ? 'Mute needs a call with the microphone on.' : 'Mute is disabled: this call has no microphone.';
  keypad.setEnabled(next === 'in-call');
  for (const field of ui.settings.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-call-fixed]')) {
    field.disabled = next !== 'idle';
  }
  if (next === 'idle') {
    showState('idle', 'Idle');
    setLevel(ui.txLevel, 0);
    setLevel(ui.rxLevel, 0);
  }
}

function showState(state: string, label: string): void {
  callState = state;
  keysArePin = PIN_STATES.has(state);
  ui.state.dataset.state = state;
  ui.state.textContent = label;
  ui.heard.textContent = '';
  freshEntry = true;
}

function showNotice(text: string | undefined): void {
  ui.notice.hidden = text === undefined;
  ui.notice.textContent = text ?? '';
}

function showPrompt(prompt: string | undefined, caption: string): void {
  ui.prompt.textContent = caption;
  ui.promptName.textContent = prompt ?? '';
}

async function dial(): Promise<void> {
  const settings = readSettings(ui.settings);
  setPhase('connecting');
  callStartMs = undefined;
  endedCallMs = undefined;
  hangupReason = undefined;
  lineOpened = false;
  showNotice(undefined);
  showState('connecting', 'Dialing…');
  showPrompt(undefined, 'Connecting to the conference service…');
  ui.callInfo.textContent = `${settings.sampleRate / 1000} kHz · ${settings.from || 'no caller id'}`;
  addLog({ kind: 'local', text: `dialing ${wsUrl} at ${settings.sampleRate} Hz`, data: { event: 'dialing' } });
  for (const key of Object.keys(ui.lineStatus.dataset)) delete ui.lineStatus.dataset[key];
  try {
    engine = await AudioEngine.create(
      {
        ...DEFAULT_AUDIO_ENGINE_OPTIONS,
        callRate: settings.sampleRate,
        useMicrophone: settings.useMicrophone,
        inputDeviceId: settings.inputDeviceId,
        outputDeviceId: settings.outputDeviceId,
        volume: settings.volume,
      },
      {
        onFrame: (pcm, peak) => {
          session?.sendAudio(pcm);
          setLevel(ui.txLevel, peak);
        },
        onPlayerReport: (report) => {
          setLevel(ui.rxLevel, report.peak);
          // Machine-readable too, for tools that watch the page.
          const status = ui.lineStatus.dataset;
          status.receivedMs = String(Math.round((report.receivedSamples * 1000) / settings.sampleRate));
          status.underruns = String(report.underruns);
          status.playedPeak = String(Math.max(Number(status.playedPeak ?? 0), report.peak));
          ui.lineStatus.textContent =
            `jitter buffer ${Math.round(report.depthMs)} ms · underruns ${report.underruns}` +
            ` · queued keys ${scheduler.pending(engine?.currentTime ?? 0).length}`;
        },
      },
    );
  } catch (error) {
    const code = error instanceof AudioStartError ? error.code : 'E_AUDIO';
    addLog({ kind: 'error', text: `audio unavailable: ${(error as Error).message}`, data: { event: 'audio-error', code } });
    // The worklets come from the service: when they do not load, it is the service that is missing.
    if (code === 'E_AUDIO_MODULES') return void teardown(UNREACHABLE);
    setPhase('idle');
    showState('ended', 'No audio');
    showPrompt(
      undefined,
      code === 'E_AUDIO_UNSUPPORTED'
        ? 'Audio could not start. The softphone needs Web Audio worklets, which browsers allow only over https or on localhost.'
        : `Audio could not start: ${(error as Error).message}.`,
    );
    return;
  }
  if (phase !== 'connecting') return void teardown(CALLER_HUNG_UP);
  addLog({ kind: 'local', text: `microphone ${engine.microphone}, audio ${engine.context.sampleRate} Hz`, data: { event: 'audio-ready', microphone: engine.microphone } });
  showNotice(microphoneSentence(engine.microphone));
  // Device names become readable once the page may use the microphone.
  if (engine.microphone === 'on') void fillDevicePickers(devices);
  const current: CallSession = new CallSession(
    { url: wsUrl, sampleRate: settings.sampleRate, from: settings.from },
    {
      onOpen() {
        lineOpened = true;
        callStartMs = performance.now();
        setPhase('in-call');
        setMuted(false);
        addLog({ kind: 'local', text: 'connected', data: { event: 'connected' } });
      },
      onEvent: handleServerEvent,
      onAudio: (pcm) => engine?.playReceived(pcm),
      onProtocolError: (description) => addLog({ kind: 'error', text: `protocol: ${description}`, data: { event: 'protocol-error' } }),
      onClose(code, reason) {
        if (session !== current) return; // a call already torn down
        addLog({ kind: 'local', text: `line closed (${code}${reason ? `: ${reason}` : ''})`, data: { event: 'closed', code: String(code) } });
        void teardown(outcomeOfClose(code));
      },
    },
  );
  session = current;
}

function handleServerEvent(event: ServerEvent): void {
  const at = { callMs: event.callMs };
  switch (event.event) {
    case 'call-started':
      monitor.ownCallId = event.callId;
      monitor.refresh();
      ui.callInfo.textContent = `${event.callId} · ${event.sampleRate / 1000} kHz`;
      addLog({ ...at, kind: 'server', text: `call started as ${event.callId}`, data: { event: event.event, callId: event.callId } });
      break;
    case 'state-entered':
      showState(event.state, stateLabel(event.state));
      addLog({ ...at, kind: 'server', text: `state → ${event.state}`, data: { event: event.event, state: event.state } });
      monitor.refresh();
      break;
    case 'prompt-started':
      freshEntry = true;
      showPrompt(event.prompt, promptCaption(event.prompt));
      addLog({ ...at, kind: 'server', text: `prompt ▶ ${event.prompt}`, data: { event: event.event, prompt: event.prompt } });
      break;
    case 'prompt-stopped':
      if (event.reason === 'barge-in') engine?.clearReceived();
      if (callState === 'in-meeting') showPrompt(undefined, 'You are in the meeting.');
      addLog({ ...at, kind: 'server', text: `prompt ■ ${event.prompt} (${event.reason})`, data: { event: event.event, prompt: event.prompt } });
      break;
    case 'digit-heard': {
      const masked = PIN_STATES.has(callState);
      const shown = masked ? '•' : event.digit;
      if (freshEntry) ui.heard.textContent = '';
      freshEntry = event.digit === '#';
      ui.heard.textContent += shown;
      const span = `${formatCallTime(event.startMs)}–${formatCallTime(event.endMs)}`;
      addLog({
        ...at,
        kind: 'digit',
        text: `heard ${shown}  (${span} in our audio)`,
        data: { event: event.event, digit: shown, masked: String(masked), startMs: String(event.startMs), endMs: String(event.endMs) },
      });
      break;
    }
    case 'admitted':
    case 'meeting-started':
      // Every caller of the conference hears meeting-started, the lobby before its own admitted;
      // the leader whose PIN was just accepted gets only meeting-started.
      if (event.event === 'admitted' || callState === 'verifying-pin' || callState === 'changing-pin') {
        showState('in-meeting', stateLabel('in-meeting'));
        showPrompt(undefined, 'You are in the meeting.');
      }
      addLog({ ...at, kind: 'server', text: `${event.event} ${event.conferenceId}`, data: { event: event.event, conferenceId: event.conferenceId } });
      monitor.refresh();
      break;
    case 'meeting-ended':
      // The flow says goodbye and hangs up next; until then the display says why.
      showState('meeting-ended', 'Meeting ended');
      showPrompt(undefined, meetingEndedCaption(event.reason));
      addLog({
        ...at,
        kind: 'server',
        text: `meeting ${event.conferenceId} ended (${event.reason})`,
        data: { event: event.event, conferenceId: event.conferenceId, reason: event.reason },
      });
      monitor.refresh();
      break;
    case 'hung-up':
      hangupReason = event.reason;
      showState('disconnected', stateLabel('disconnected'));
      addLog({ ...at, kind: 'server', text: `hung up (${event.reason})`, data: { event: event.event, reason: event.reason } });
      break;
    case 'error':
      addLog({ ...at, kind: 'error', text: `${event.code}: ${event.message}`, data: { event: event.event, code: event.code } });
      break;
  }
}

function pressKey(key: DtmfKey): void {
  if (phase !== 'in-call' || !engine) return;
  const settings = readSettings(ui.settings);
  const tone = scheduler.schedule(key, engine.currentTime, settings.tone);
  engine.playTone(tone);
  const delayMs = Math.max(0, (tone.startS - engine.currentTime) * 1000);
  const queued = scheduler.pending(engine.currentTime).length - 1;
  const secret = (keysArePin || PIN_STATES.has(callState)) && key !== '*' && key !== '#';
  const shown = secret ? '•' : key;
  if (key === '*' && (callState === 'leader-question' || callState === 'lobby')) keysArePin = true;
  addLog({ kind: 'local', text: `key ${shown}${queued > 0 ? ` (queued behind ${queued})` : ''}`, data: { event: 'key', key: shown } });
  schedule(() => keypad.setSounding(key, true), delayMs);
  schedule(() => keypad.setSounding(key, false), delayMs + (tone.stopS - tone.startS) * 1000);
}

function schedule(action: () => void, delayMs: number): void {
  const timer = setTimeout(() => {
    toneTimers.delete(timer);
    action();
  }, delayMs);
  toneTimers.add(timer);
}

function setMuted(next: boolean): void {
  muted = next;
  engine?.setMuted(next);
  ui.muteButton.setAttribute('aria-pressed', String(next));
  ui.muteButton.textContent = next ? 'Unmute' : 'Mute';
}

function hangUp(): void {
  if (phase === 'connecting' && !session) {
    setPhase('ending');
    return; // dial() sees the phase change once the audio engine is ready
  }
  setPhase('ending');
  addLog({ kind: 'local', text: 'hanging up', data: { event: 'hangup' } });
  session?.hangup();
  hangupTimer = setTimeout(() => session?.close(), HANGUP_GRACE_MS);
}

const UNREACHABLE: Outcome = { state: 'unreachable', label: 'No service', sentence: closeSentence(false, 0) };
const CALLER_HUNG_UP: Outcome = { state: 'ended', label: 'Call ended', sentence: hangupSentence('caller') };

/** How the call ended when its line closed with `code`. */
function outcomeOfClose(code: number): Outcome {
  if (hangupReason !== undefined) return { state: 'ended', label: 'Call ended', sentence: hangupSentence(hangupReason) };
  if (phase === 'ending') return CALLER_HUNG_UP;
  if (!lineOpened) return UNREACHABLE;
  return { state: 'dropped', label: 'Connection lost', sentence: closeSentence(true, code) };
}

async function teardown(outcome: Outcome): Promise<void> {
  clearTimeout(hangupTimer);
  for (const timer of toneTimers) clearTimeout(timer);
  toneTimers.clear();
  keypad.clearSounding();
  scheduler.reset();
  session?.close();
  session = undefined;
  const closing = engine;
  engine = undefined;
  monitor.ownCallId = undefined;
  endedCallMs = callMs();
  callStartMs = undefined;
  setPhase('idle');
  showState(outcome.state, outcome.label);
  showPrompt(undefined, `${outcome.sentence} Press Call to dial in again.`);
  showTimer();
  if (outcome.state !== 'ended') {
    // Let the status follow the monitor's retries until the service answers again.
    serviceDown = true;
    showNotice('Checking the connection…');
    monitor.refresh();
  }
  await closing?.close().catch(() => undefined);
}

/** The call's length as m:ss; the last call's stays shown until the next dial. */
function showTimer(): void {
  const ms = callMs() ?? endedCallMs;
  ui.timer.textContent = ms === undefined ? '0:00' : formatCallTime(ms).slice(0, -4);
  ui.timer.setAttribute('aria-label', callStartMs === undefined && ms !== undefined ? 'Last call duration' : 'Call duration');
}

setInterval(showTimer, 250);
