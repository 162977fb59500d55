/**
 * One live call, transport-free: caller audio in → digit decoder → merged
 * with out-of-band digits → the flow; the flow's prompts → CallMedia →
 * frames out, and prompt ends back to the flow. The WebSocket server and the
 * scenario runner both drive it; it never reads a clock or sets a timer, so
 * time is whatever the driver says (the audio sample count for digits,
 * `nowMs()` for event stamps).
 *
 *   caller PCM ─► decoder ─┐
 *                          ├─► DigitMerger ─► digit-heard ─► flow.digit
 *   platform DTMF ─────────┘
 *   flow play/stop ─► CallMedia ─► renderFrame() ─► sink.audio
 *                                      └─ finished ─► flow.promptFinished
 *
 * Barge-in: when the flow stops a prompt after the caller keyed a digit
 * during it, the stop is reported as reason 'barge-in'; any other stop or
 * replacement is 'interrupted'.
 */
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import type { DigitDecoder } from '../engines/digit-decoder.ts';
import type { CallStateName, PromptName } from '../flow/names.ts';
import type { CallEvent, CallEventBody, DigitSource, HangupReason } from './call-events.ts';
import { DigitMerger, type DigitMergerOptions } from './digit-merger.ts';

/** What the session asks of the shared flow for its call. */
export interface SessionFlow {
  startCall(callId: string, from: string | undefined): void;
  digit(callId: string, digit: DtmfKey): void;
  promptFinished(callId: string, prompt: PromptName): void;
  hangup(callId: string): void;
}

/** The outgoing audio of one call (CallMedia implements it). */
export interface SessionMedia {
  play(prompt: PromptName): PromptName | undefined;
  stop(): PromptName | undefined;
  nowPlaying(): PromptName | undefined;
  /** Fills `out`; `shared` is the same samples as a view of audio that never changes, when there is one (CallMedia's MediaReport). */
  render(out: Int16Array): { readonly finished: readonly { readonly prompt: PromptName }[]; readonly shared?: Int16Array | undefined };
}

/** Where the session's output goes: one frame of audio, or one event. */
export interface SessionSink {
  /**
   * One frame of what the caller hears. `silent` is true when nothing was
   * playing (the frame is all zeros), so a transport can reuse an encoding.
   * The frame buffer is reused for the next frame: copy it to keep it.
   * `shared`, when given, holds the same samples in memory that is never
   * modified (a frame of the shared prompt library, or shared silence):
   * many calls play the same frame, so a transport may encode it once and
   * keep the encoding for every call that sends it.
   */
  audio(frame: Int16Array, silent: boolean, shared?: Int16Array): void;
  event(event: CallEvent): void;
}

export interface CallSessionOptions {
  callId: string;
  /** The caller's number or name, for logs and the conference list. */
  from?: string;
  /** Wire protocol name, reported in call-started. */
  protocol: string;
  /** Sample rate of the caller's audio and of what the caller hears, Hz. */
  sampleRate: number;
  /** Length of one outgoing frame in ms. */
  frameMs: number;
  flow: SessionFlow;
  media: SessionMedia;
  decoder: DigitDecoder;
  /** Ms since the call started, for `callMs` on events. */
  nowMs: () => number;
  /** Out-of-band duplicate suppression; see digit-merger.ts. */
  merger?: Partial<DigitMergerOptions>;
}

export type SessionPhase = 'new' | 'active' | 'closing' | 'ended';

export class CallSession {
  readonly callId: string;
  private readonly options: CallSessionOptions;
  private readonly sink: SessionSink;
  private readonly merger: DigitMerger;
  private readonly frame: Int16Array;
  private samplesIn = 0;
  private phaseValue: SessionPhase = 'new';
  /** A digit was delivered while the current prompt played. */
  private keyedDuringPrompt = false;
  private state: CallStateName | undefined;
  private endReason: HangupReason | undefined;
  /** The flow no longer holds this call (it ended it, or was told the call is gone). */
  private flowReleased = false;

  constructor(options: CallSessionOptions, sink: SessionSink) {
    this.options = options;
    this.callId = options.callId;
    this.sink = sink;
    this.merger = new DigitMerger(options.merger);
    this.frame = new Int16Array(Math.round((options.sampleRate * options.frameMs) / 1000));
  }

  get phase(): SessionPhase {
    return this.phaseValue;
  }

  /** The flow state last entered (undefined before the first). */
  get currentState(): CallStateName | undefined {
    return this.state;
  }

  /** Ms of caller audio received so far (the timeline of digit times). */
  get audioMs(): number {
    return (this.samplesIn * 1000) / this.options.sampleRate;
  }

  start(): void {
    if (this.phaseValue !== 'new') return;
    this.phaseValue = 'active';
    const { callId, sampleRate, protocol, from } = this.options;
    this.emit({ event: 'call-started', callId, sampleRate, protocol, ...(from !== undefined ? { from } : {}) });
    this.options.flow.startCall(callId, from);
  }

  /** Caller audio; digits found in it go to the flow. */
  pushAudio(samples: Int16Array): void {
    if (this.phaseValue !== 'active' || samples.length === 0) return;
    this.samplesIn += samples.length;
    for (const heard of this.options.decoder.push(samples)) {
      this.deliver(heard.digit, heard.startMs, heard.endMs, 'in-band');
    }
  }

  /** A platform's DTMF event, placed on the audio timeline at the audio received so far. */
  outOfBandDigit(digit: DtmfKey, durationMs = 0): void {
    if (this.phaseValue !== 'active') return;
    const at = this.audioMs;
    this.deliver(digit, Math.max(0, at - durationMs), at, 'out-of-band');
  }

  private deliver(digit: DtmfKey, startMs: number, endMs: number, source: DigitSource): void {
    if (!this.merger.accept({ digit, startMs, endMs, source })) return;
    this.emit({ event: 'digit-heard', digit, startMs, endMs, source });
    if (this.options.media.nowPlaying() !== undefined) this.keyedDuringPrompt = true;
    this.options.flow.digit(this.callId, digit);
  }

  /** Renders one frame of what the caller hears, sends it, then reports prompts that ended in it. */
  renderFrame(): void {
    if (this.phaseValue === 'new' || this.phaseValue === 'ended') return;
    const silent = this.options.media.nowPlaying() === undefined;
    const report = this.options.media.render(this.frame);
    this.sink.audio(this.frame, silent, report.shared);
    for (const { prompt } of report.finished) {
      this.emit({ event: 'prompt-stopped', prompt, reason: 'finished' });
      this.keyedDuringPrompt = false;
      if (this.phaseValue === 'closing') this.finish(this.endReason ?? 'goodbye');
      else this.options.flow.promptFinished(this.callId, prompt);
    }
  }

  // ── Commands from the flow ──

  play(prompt: PromptName): void {
    if (this.phaseValue !== 'active') return;
    const cut = this.options.media.play(prompt);
    if (cut !== undefined) this.emit({ event: 'prompt-stopped', prompt: cut, reason: 'interrupted' });
    this.keyedDuringPrompt = false;
    this.emit({ event: 'prompt-started', prompt });
  }

  /** Stops the prompt; without a reason from the flow, a digit keyed during it makes it a barge-in. */
  stopPrompt(reason?: 'barge-in' | 'interrupted'): void {
    if (this.phaseValue !== 'active') return;
    const stopped = this.options.media.stop();
    if (stopped === undefined) return;
    this.emit({ event: 'prompt-stopped', prompt: stopped, reason: reason ?? (this.keyedDuringPrompt ? 'barge-in' : 'interrupted') });
    this.keyedDuringPrompt = false;
  }

  stateEntered(state: CallStateName): void {
    if (this.phaseValue !== 'active' || state === this.state) return;
    this.state = state;
    this.emit({ event: 'state-entered', state });
  }

  admitted(conferenceId: string): void {
    if (this.phaseValue === 'active') this.emit({ event: 'admitted', conferenceId });
  }

  meetingStarted(conferenceId: string): void {
    if (this.phaseValue === 'active') this.emit({ event: 'meeting-started', conferenceId });
  }

  meetingEnded(conferenceId: string, reason: string): void {
    if (this.phaseValue === 'active') this.emit({ event: 'meeting-ended', conferenceId, reason });
  }

  /** The flow ended the call (after its goodbye or locked-out prompt). */
  flowEnded(reason: HangupReason): void {
    if (this.phaseValue !== 'active') return;
    this.flowReleased = true;
    const playing = this.options.media.stop();
    if (playing !== undefined) this.emit({ event: 'prompt-stopped', prompt: playing, reason: 'interrupted' });
    this.finish(reason);
  }

  // ── Ends driven by the transport ──

  /** The caller went away (hangup message, closed socket, bad input). Nothing more is sent. */
  hangup(reason: HangupReason = 'caller'): void {
    if (this.phaseValue === 'ended') return;
    const started = this.phaseValue !== 'new';
    this.phaseValue = 'ended';
    this.options.media.stop();
    if (started) {
      this.releaseFlow();
      this.emit({ event: 'hung-up', reason });
    }
  }

  /**
   * Ends the call from the server side with the goodbye prompt: the flow lets
   * go of the call now, the caller hears goodbye, then gets hung-up(reason).
   */
  endWithGoodbye(reason: HangupReason): void {
    if (this.phaseValue !== 'active') return;
    this.phaseValue = 'closing';
    this.endReason = reason;
    this.releaseFlow();
    const cut = this.options.media.play('goodbye');
    if (cut !== undefined) this.emit({ event: 'prompt-stopped', prompt: cut, reason: 'interrupted' });
    this.emit({ event: 'prompt-started', prompt: 'goodbye' });
  }

  /** Ends a closing call now, even if its goodbye has not finished. */
  forceEnd(): void {
    if (this.phaseValue === 'closing') {
      const cut = this.options.media.stop();
      if (cut !== undefined) this.emit({ event: 'prompt-stopped', prompt: cut, reason: 'interrupted' });
      this.finish(this.endReason ?? 'server-shutdown');
    } else if (this.phaseValue === 'active') {
      this.hangup(this.endReason ?? 'server-shutdown');
    }
  }

  private finish(reason: HangupReason): void {
    if (this.phaseValue === 'ended') return;
    this.phaseValue = 'ended';
    this.releaseFlow();
    this.emit({ event: 'hung-up', reason });
  }

  private releaseFlow(): void {
    if (this.flowReleased) return;
    this.flowReleased = true;
    this.options.flow.hangup(this.callId);
  }

  private emit(body: CallEventBody): void {
    this.sink.event({ ...body, callMs: Math.round(this.options.nowMs() * 10) / 10 } as CallEvent);
  }
}
