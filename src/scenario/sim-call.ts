/**
 * One simulated phone call: a CallSession (the same wiring the server
 * uses: caller audio → decoder → flow, flow → CallMedia → prompt ends) on
 * the scenario's clock, plus what the scenario needs around it: the
 * caller's audio queue, the call's own event log, and expectation checks.
 *
 * Time. The call renders its audio in frames of FRAME_MS from the moment it
 * was placed. It is stepped frame by frame only while there is something to
 * compute: caller audio to send (and a short tail of silence after it, so
 * the decoder can confirm the last tone's end) or a prompt about to end.
 * Otherwise whole frames are skipped: CallMedia moves its cursor on without
 * rendering, and the decoder is not fed the silence. Digit times are mapped back from the
 * decoder's sample clock to the scenario's, so they stay exact.
 */
import type { DigitDecoder } from '../engines/digit-decoder.ts';
import type { CallMedia } from '../media/call-media.ts';
import type { CallStateName, PromptName } from '../flow/names.ts';
import type { CallEvent } from '../session/call-events.ts';
import { CallSession, type SessionFlow } from '../session/call-session.ts';
import { CallRecorder, GAP_KEEP_MS, LONG_GAP_MS } from './call-recording.ts';
import { checkExpectation, type ExpectationCheck } from './expectation-check.ts';
import type { CallExpectation, CallSpec } from './scenario-schema.ts';
import type { TimelineEvent } from './scenario-result.ts';

/** Frame of caller and IVR audio, ms (the server's frame length too). */
export const FRAME_MS = 20;
/**
 * Silence sent after the caller's audio so that the decoder confirms a tone
 * that ends with the audio: it reports a digit about 25-30 ms after the
 * tone ends (src/dsp/dtmf-detector.ts).
 */
export const DECODER_TAIL_MS = 100;
/**
 * Silence the decoder hears before caller audio that follows a quiet
 * stretch it skipped: the line was silent then, and some engines need a
 * moment of input before they can report a tone.
 */
export const DECODER_LEAD_MS = 100;

export interface SimCallContext {
  readonly sampleRate: number;
  readonly flow: SessionFlow;
  /** Scenario time now, ms. */
  now(): number;
  /** Adds an event to the scenario's timeline. */
  log(event: TimelineEvent): void;
}

type LoggedEvent = TimelineEvent & { readonly call: string };

interface PendingExpectation {
  readonly expectation: CallExpectation;
  /** The number of events when the expect step started. */
  readonly stepStart: number;
  /** When the expect step started, scenario ms. */
  readonly stepStartMs: number;
  readonly onMet: (check: ExpectationCheck) => void;
  readonly onImpossible: () => void;
  impossible: boolean;
}

export class SimCall {
  readonly spec: CallSpec;
  readonly index: number;
  readonly startMs: number;
  readonly media: CallMedia;
  readonly session: CallSession;
  readonly recorder: CallRecorder | undefined;
  /** This call's events, in order: what expectations look at. */
  readonly events: LoggedEvent[] = [];
  /** The call's state after each event (index i: after events[i]). */
  readonly stateAfter: (CallStateName | undefined)[] = [];
  /** What the caller heard after each event. */
  readonly playingAfter: (PromptName | undefined)[] = [];
  /** Events before this index were used by met expectations. */
  mark = 0;
  /** The conference this call keyed (from the flow). */
  conferenceId: string | undefined;
  endedAtMs: number | undefined;
  #state: CallStateName | undefined;

  readonly #context: SimCallContext;
  readonly #frameSamples: number;
  readonly #frame: Int16Array;
  /** Scenario time where the next frame starts. */
  #frameStartMs: number;
  #audio: Int16Array | undefined;
  #audioPos = 0;
  /** Silence still to come before `#audio` (a press's lead): skipped like any quiet stretch. */
  #leadSamples = 0;
  #audioDone: (() => void) | undefined;
  #tailFrames = 0;
  #leadSilence: Int16Array;
  #needsLead = true;
  #inFrame = false;
  #callerFrame: Int16Array | undefined;
  /** Scenario time minus decoder time, ms, for mapping digit times. */
  #decoderOffsetMs = 0;
  /** The press or play step whose audio is being sent: digits heard are credited to it. */
  #audioStep: { heard?: string } | undefined;
  #expect: PendingExpectation | undefined;

  constructor(spec: CallSpec, index: number, decoder: DigitDecoder, media: CallMedia, context: SimCallContext, record: boolean) {
    this.spec = spec;
    this.index = index;
    this.startMs = context.now();
    this.media = media;
    this.#context = context;
    this.#frameSamples = Math.round((context.sampleRate * FRAME_MS) / 1000);
    this.#frame = new Int16Array(this.#frameSamples);
    this.#leadSilence = new Int16Array(Math.round((context.sampleRate * DECODER_LEAD_MS) / 1000));
    this.#frameStartMs = this.startMs;
    this.recorder = record ? new CallRecorder(spec.id, context.sampleRate, this.startMs) : undefined;
    this.session = new CallSession(
      {
        callId: spec.id,
        ...(spec.from === undefined ? {} : { from: spec.from }),
        protocol: 'scenario',
        sampleRate: context.sampleRate,
        frameMs: FRAME_MS,
        flow: context.flow,
        media,
        decoder,
        nowMs: () => context.now() - this.startMs,
      },
      { audio: (frame) => this.recorder?.append(this.#callerFrame, frame), event: (event) => this.#onSessionEvent(event) },
    );
  }

  get id(): string {
    return this.spec.id;
  }

  get ended(): boolean {
    return this.session.phase === 'ended';
  }

  /** The state last entered; disconnected once the call is over, whoever hung up. */
  get state(): CallStateName | undefined {
    return this.#state;
  }

  /** What the caller hears now. */
  hearing(): PromptName | undefined {
    return this.ended ? undefined : this.media.nowPlaying();
  }

  get sendingAudio(): boolean {
    return this.#audio !== undefined;
  }

  // ── Time ──

  /** When this call next needs a frame computed; Infinity when it can be left alone. */
  nextFrameDueMs(): number {
    if (this.ended) return Infinity;
    const frameEnd = this.#frameStartMs + FRAME_MS;
    if (this.#tailFrames > 0 && this.#audio === undefined) return frameEnd;
    // Whole frames of a press's leading silence are skipped; the frame where its keys begin is computed.
    const audioDue = this.#audio === undefined ? Infinity : frameEnd + Math.floor(this.#leadSamples / this.#frameSamples) * FRAME_MS;
    const remaining = this.media.remainingSamples();
    if (remaining === Infinity) return audioDue;
    return Math.min(audioDue, this.#frameStartMs + Math.max(1, Math.ceil(remaining / this.#frameSamples)) * FRAME_MS);
  }

  /**
   * Brings the call's audio up to the frame that contains `nowMs`, skipping
   * whole frames. Called before the flow changes what the call plays.
   */
  sync(nowMs: number): void {
    if (this.#inFrame || this.ended) return;
    const frames = Math.floor((nowMs - this.#frameStartMs) / FRAME_MS);
    if (frames > 0) this.#skipFrames(frames);
  }

  /** Computes the frame that ends at `atMs` (skipping the frames before it). */
  runFrameEndingAt(atMs: number): void {
    if (this.ended) return;
    const frames = Math.round((atMs - this.#frameStartMs) / FRAME_MS);
    if (frames > 1) this.#skipFrames(frames - 1);
    if (frames < 1) return;
    this.#inFrame = true;
    try {
      this.#callerFrame = this.#nextCallerFrame();
      // What the IVR sent during the frame goes out before the caller's audio
      // of the same frame is analysed, as on a real line.
      this.session.renderFrame();
      this.#frameStartMs += FRAME_MS;
      if (this.#callerFrame !== undefined) {
        if (this.#needsLead) {
          this.#needsLead = false;
          this.session.pushAudio(this.#leadSilence);
        }
        this.#decoderOffsetMs = this.#frameStartMs - FRAME_MS - this.session.audioMs;
        this.session.pushAudio(this.#callerFrame);
      } else {
        this.#needsLead = true;
      }
      this.#callerFrame = undefined;
    } finally {
      this.#inFrame = false;
    }
  }

  #nextCallerFrame(): Int16Array | undefined {
    const audio = this.#audio;
    if (audio === undefined) {
      if (this.#tailFrames === 0) return undefined;
      this.#tailFrames--;
      this.#frame.fill(0);
      return this.#frame;
    }
    const silence = Math.min(this.#frameSamples, this.#leadSamples);
    this.#leadSamples -= silence;
    this.#frame.fill(0, 0, silence);
    const count = Math.min(this.#frameSamples - silence, audio.length - this.#audioPos);
    this.#frame.set(audio.subarray(this.#audioPos, this.#audioPos + count), silence);
    this.#frame.fill(0, silence + count);
    this.#audioPos += count;
    if (this.#audioPos >= audio.length) this.#finishAudio();
    return this.#frame;
  }

  #finishAudio(): void {
    this.#audio = undefined;
    this.#tailFrames = Math.ceil(DECODER_TAIL_MS / FRAME_MS);
    const done = this.#audioDone;
    this.#audioDone = undefined;
    done?.();
  }

  #skipFrames(frames: number): void {
    this.#needsLead = true;
    if (this.#audio !== undefined) {
      // Only a press's leading silence can be skipped while audio is queued.
      const samples = frames * this.#frameSamples;
      if (samples > this.#leadSamples) throw new Error(`internal: call ${this.id} skipped ${samples - this.#leadSamples} samples of caller audio`);
      this.#leadSamples -= samples;
    }
    const recorder = this.recorder;
    if (recorder === undefined) {
      this.#skipMedia(frames * this.#frameSamples);
    } else if (frames * FRAME_MS > LONG_GAP_MS) {
      const keep = Math.round(GAP_KEEP_MS / FRAME_MS);
      this.#renderSkipped(keep);
      this.#skipMedia((frames - 2 * keep) * this.#frameSamples);
      recorder.cut((frames - 2 * keep) * FRAME_MS);
      this.#renderSkipped(keep);
    } else {
      this.#renderSkipped(frames);
    }
    this.#frameStartMs += frames * FRAME_MS;
  }

  /** Renders skipped frames for the recording (the caller was silent). */
  #renderSkipped(frames: number): void {
    for (let i = 0; i < frames; i++) {
      const report = this.media.render(this.#frame);
      if (report.finished.length > 0) throw new Error(`internal: prompt ${report.finished[0]!.prompt} ended in a skipped frame of call ${this.id}`);
      this.recorder!.append(undefined, this.#frame);
    }
  }

  /** Moves the media cursor on without keeping the audio. */
  #skipMedia(samples: number): void {
    if (samples > 0) this.media.skip(samples);
  }

  // ── Caller audio ──

  /**
   * Queues caller audio after `leadMs` of silence; `done` runs when its last
   * sample has been sent.
   */
  sendAudio(samples: Int16Array, leadMs: number, step: { heard?: string }, done: () => void): void {
    this.sync(this.#context.now());
    step.heard = '';
    this.#audioStep = step;
    const lead = Math.round((leadMs * this.#context.sampleRate) / 1000);
    if (samples.length === 0 && lead === 0) {
      done();
      return;
    }
    this.#audio = samples.length === 0 ? new Int16Array(1) : samples;
    this.#audioPos = 0;
    this.#leadSamples = lead;
    this.#audioDone = done;
  }

  /** The line went dead: audio still queued is dropped and its step completes. */
  #dropAudio(): void {
    this.#leadSamples = 0;
    if (this.#audio !== undefined) this.#finishAudio();
    this.#tailFrames = 0;
  }

  // ── Events ──

  #onSessionEvent(event: CallEvent): void {
    const now = this.#context.now();
    switch (event.event) {
      case 'call-started':
        return this.#log({ type: 'call-started', atMs: now, ...(this.spec.from === undefined ? {} : { from: this.spec.from }) });
      case 'state-entered':
        this.#state = event.state;
        return this.#log({ type: 'state-entered', atMs: now, state: event.state });
      case 'prompt-started':
        return this.#log({ type: 'prompt-started', atMs: now, prompt: event.prompt });
      case 'prompt-stopped':
        return this.#log({ type: 'prompt-stopped', atMs: now, prompt: event.prompt, reason: event.reason });
      case 'digit-heard': {
        if (this.#audioStep !== undefined) this.#audioStep.heard = (this.#audioStep.heard ?? '') + event.digit;
        const offset = this.#decoderOffsetMs;
        return this.#log({ type: 'digit-heard', atMs: now, digit: event.digit, toneStartMs: Math.round(offset + event.startMs), toneEndMs: Math.round(offset + event.endMs) });
      }
      case 'admitted':
        return this.#log({ type: 'admitted', atMs: now, conference: event.conferenceId });
      case 'meeting-started':
        return this.#log({ type: 'meeting-started', atMs: now, conference: event.conferenceId });
      case 'hung-up':
        this.endedAtMs = now;
        this.#dropAudio();
        if (this.#state !== 'disconnected') {
          this.#state = 'disconnected';
          this.#log({ type: 'state-entered', atMs: now, state: 'disconnected' });
        }
        return this.#log({ type: 'hung-up', atMs: now, reason: event.reason, by: event.reason === 'caller' ? 'caller' : 'ivr' });
      case 'error':
        return;
    }
  }

  /** Logs an event of this call to the timeline and checks the waiting expectation. */
  #log(event: TimelineEvent): void {
    const logged = { ...event, call: this.id } as LoggedEvent;
    this.events.push(logged);
    this.stateAfter.push(this.state);
    this.playingAfter.push(this.hearing());
    this.#context.log(logged);
    this.#check();
  }

  /** Logs an event that the flow reported about this call (PIN checked, lobby). */
  note(event: TimelineEvent): void {
    this.#log(event);
  }

  // ── Expectations ──

  /**
   * Waits for `expectation`; `onMet` runs (at once, if it already holds)
   * with what satisfied it, `onImpossible` once it can no longer hold.
   */
  awaitExpectation(expectation: CallExpectation, onMet: (check: ExpectationCheck) => void, onImpossible: () => void): void {
    this.#expect = { expectation, stepStart: this.events.length, stepStartMs: this.#context.now(), onMet, onImpossible, impossible: false };
    this.#check();
  }

  /** Stops waiting (the deadline passed, or it cannot hold); returns the last check for the report. */
  abandonExpectation(): ExpectationCheck | undefined {
    const pending = this.#expect;
    this.#expect = undefined;
    return pending ? checkExpectation(this, pending.expectation, pending.stepStart, pending.stepStartMs) : undefined;
  }

  #check(): void {
    const pending = this.#expect;
    if (!pending) return;
    const check = checkExpectation(this, pending.expectation, pending.stepStart, pending.stepStartMs);
    if (check.met) {
      this.#expect = undefined;
      this.mark = check.consumed;
      pending.onMet(check);
    } else if (check.impossible && !pending.impossible) {
      pending.impossible = true;
      pending.onImpossible();
    }
  }
}
