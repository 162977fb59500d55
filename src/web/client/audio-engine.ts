/**
 * The softphone's audio graph, on the page's AudioContext (device rate):
 *
 *   microphone ─▶ mute ───────────────┐
 *   key tones (2 oscillators each) ─▶ tone bus ─┼─▶ pcm-sender worklet ─▶ 20 ms PCM frames ─▶ WebSocket
 *                                     └─▶ sidetone ─▶ volume ─▶ speakers
 *   WebSocket PCM ─▶ pcm-player worklet (jitter buffer, resampler) ─▶ volume ─▶ speakers
 *
 * The speakers are the context's output device, which a page may choose
 * where the browser has AudioContext.setSinkId (Audio Output Devices API).
 *
 * The call's rate (8, 16 or 48 kHz) exists only inside the worklets, which
 * resample; every Web Audio connection stays at the context's rate.
 */
import { Pcm16Decoder } from './pcm.ts';
import {
  PLAYER_PROCESSOR,
  SENDER_PROCESSOR,
  type PlayerCommand,
  type PlayerOptions,
  type PlayerReport,
  type SenderFrame,
  type SenderOptions,
} from './audio-messages.ts';
import type { ScheduledTone } from './tone-scheduler.ts';

export interface AudioEngineOptions {
  /** The call's sample rate. */
  callRate: number;
  /** Ask for the microphone; without it (or if refused) the line carries silence and key tones. */
  useMicrophone: boolean;
  /** The microphone to ask for (a MediaDeviceInfo.deviceId); empty for the browser's default. */
  inputDeviceId: string;
  /** The speakers to play on (a MediaDeviceInfo.deviceId); empty for the browser's default. */
  outputDeviceId: string;
  /** Speaker volume, 0 to 1, applied to everything the caller hears. */
  volume: number;
  /** Level of the key tones heard locally, relative to the line, in dB. */
  sidetoneDb: number;
  /** Jitter buffer fill before playing, ms. */
  jitterTargetMs: number;
  /** Jitter buffer limit, ms. */
  jitterMaxMs: number;
}

export const DEFAULT_AUDIO_ENGINE_OPTIONS: Omit<AudioEngineOptions, 'callRate'> = {
  useMicrophone: true,
  inputDeviceId: '',
  outputDeviceId: '',
  volume: 0.8,
  sidetoneDb: -12,
  // Enough to ride out a busy main thread or network stall; an IVR does not need low latency.
  jitterTargetMs: 80,
  jitterMaxMs: 400,
};

export interface AudioEngineEvents {
  /** A 20 ms frame of outgoing 16-bit LE PCM at the call's rate. */
  onFrame(pcm: ArrayBuffer, peak: number): void;
  /** The player's jitter buffer state, a few times a second. */
  onPlayerReport(report: PlayerReport): void;
}

/** How the microphone request ended, for the page to show. */
export type MicrophoneState = 'on' | 'off' | 'denied' | 'unavailable';

const SENDER_FRAME_MS = 20;

/**
 * Why the audio could not start: the browser has no AudioWorklet (it needs
 * a secure context: https or localhost), or the worklet modules could not be
 * fetched from the service, which is then most likely unreachable.
 */
export class AudioStartError extends Error {
  constructor(readonly code: 'E_AUDIO_UNSUPPORTED' | 'E_AUDIO_MODULES', message: string) {
    super(message);
    this.name = 'AudioStartError';
  }
}

/** AudioContext.setSinkId, where the browser has it (not yet in TypeScript's DOM types). */
type SinkSelectable = AudioContext & { setSinkId(sinkId: string): Promise<void> };

/** Whether this browser lets a page choose the speakers of an AudioContext. */
export function canChooseOutput(): boolean {
  return typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype;
}

export class AudioEngine {
  readonly context: AudioContext;
  readonly microphone: MicrophoneState;
  private readonly sender: AudioWorkletNode;
  private readonly player: AudioWorkletNode;
  private readonly micGain: GainNode | undefined;
  private readonly toneBus: GainNode;
  private readonly volume: GainNode;
  private readonly stream: MediaStream | undefined;
  private readonly decoder = new Pcm16Decoder();

  private constructor(parts: {
    context: AudioContext;
    sender: AudioWorkletNode;
    player: AudioWorkletNode;
    toneBus: GainNode;
    volume: GainNode;
    micGain: GainNode | undefined;
    stream: MediaStream | undefined;
    microphone: MicrophoneState;
  }) {
    this.context = parts.context;
    this.sender = parts.sender;
    this.player = parts.player;
    this.toneBus = parts.toneBus;
    this.volume = parts.volume;
    this.micGain = parts.micGain;
    this.stream = parts.stream;
    this.microphone = parts.microphone;
  }

  /** Builds the graph. Call from a user gesture so that the context may start. */
  static async create(options: AudioEngineOptions, events: AudioEngineEvents): Promise<AudioEngine> {
    if (typeof AudioWorkletNode === 'undefined') {
      throw new AudioStartError('E_AUDIO_UNSUPPORTED', 'this browser has no AudioWorklet here (it needs https or localhost)');
    }
    const context = new AudioContext({ latencyHint: 'interactive' });
    try {
      await Promise.all([
        context.audioWorklet.addModule(new URL('./sender-worklet.ts', import.meta.url)),
        context.audioWorklet.addModule(new URL('./player-worklet.ts', import.meta.url)),
      ]).catch((error: unknown) => {
        throw new AudioStartError('E_AUDIO_MODULES', `audio worklets did not load: ${(error as Error).message}`);
      });
      const { stream, microphone } = options.useMicrophone ? await openMicrophone(options.inputDeviceId) : { stream: undefined, microphone: 'off' as const };

      const senderOptions: SenderOptions = { outputRate: options.callRate, frameMs: SENDER_FRAME_MS };
      const sender = new AudioWorkletNode(context, SENDER_PROCESSOR, {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCount: 1,
        channelCountMode: 'explicit',
        channelInterpretation: 'speakers',
        processorOptions: senderOptions,
      });
      sender.port.onmessage = (event: MessageEvent<SenderFrame>) => events.onFrame(event.data.pcm, event.data.peak);

      const playerOptions: PlayerOptions = {
        inputRate: options.callRate,
        targetMs: options.jitterTargetMs,
        maxMs: options.jitterMaxMs,
      };
      const player = new AudioWorkletNode(context, PLAYER_PROCESSOR, {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [1],
        processorOptions: playerOptions,
      });
      player.port.onmessage = (event: MessageEvent<PlayerReport>) => events.onPlayerReport(event.data);
      const volume = new GainNode(context, { gain: options.volume });
      volume.connect(context.destination);
      player.connect(volume);

      const toneBus = new GainNode(context, { gain: 1 });
      toneBus.connect(sender);
      const sidetone = new GainNode(context, { gain: 10 ** (options.sidetoneDb / 20) });
      toneBus.connect(sidetone).connect(volume);

      let micGain: GainNode | undefined;
      if (stream) {
        micGain = new GainNode(context, { gain: 1 });
        context.createMediaStreamSource(stream).connect(micGain).connect(sender);
      }
      await context.resume();
      const engine = new AudioEngine({ context, sender, player, toneBus, volume, micGain, stream, microphone });
      // A speaker unplugged since it was chosen is no reason to fail the call: it plays on the default.
      if (options.outputDeviceId) await engine.setOutputDevice(options.outputDeviceId).catch(() => undefined);
      return engine;
    } catch (error) {
      await context.close().catch(() => undefined);
      throw error;
    }
  }

  get currentTime(): number {
    return this.context.currentTime;
  }

  /** Mutes the microphone only: key tones still reach the line, as on a desk phone. */
  setMuted(muted: boolean): void {
    this.micGain?.gain.setValueAtTime(muted ? 0 : 1, this.context.currentTime);
  }

  /** Sets the speaker volume, 0 to 1, with a short ramp so the change does not click. */
  setVolume(volume: number): void {
    this.volume.gain.setTargetAtTime(volume, this.context.currentTime, 0.01);
  }

  /** Plays on the speakers with this device id ('' for the default); a no-op where the browser cannot choose. */
  async setOutputDevice(deviceId: string): Promise<void> {
    if (canChooseOutput()) await (this.context as SinkSelectable).setSinkId(deviceId);
  }

  /** Plays a key's tone pair on the line and in the sidetone at its scheduled time. */
  playTone(tone: ScheduledTone): void {
    const { context } = this;
    // A 1 ms ramp at each edge keeps the spectrum of the burst narrow (no click).
    const rampS = 0.001;
    const envelope = new GainNode(context, { gain: 0 });
    envelope.gain.setValueAtTime(0, tone.startS);
    envelope.gain.linearRampToValueAtTime(tone.amplitude, tone.startS + rampS);
    envelope.gain.setValueAtTime(tone.amplitude, tone.stopS - rampS);
    envelope.gain.linearRampToValueAtTime(0, tone.stopS);
    envelope.connect(this.toneBus);
    for (const frequency of [tone.lowHz, tone.highHz]) {
      const oscillator = new OscillatorNode(context, { type: 'sine', frequency });
      oscillator.connect(envelope);
      oscillator.start(tone.startS);
      oscillator.stop(tone.stopS + rampS);
      oscillator.onended = () => {
        oscillator.disconnect();
        envelope.disconnect();
      };
    }
  }

  /** Queues a binary frame from the server for playing. */
  playReceived(pcm: ArrayBuffer): void {
    const samples = this.decoder.push(pcm);
    const command: PlayerCommand = { type: 'samples', samples };
    this.player.port.postMessage(command, [samples.buffer]);
  }

  /** Drops audio queued for playing. */
  clearReceived(): void {
    const command: PlayerCommand = { type: 'clear' };
    this.player.port.postMessage(command);
  }

  async close(): Promise<void> {
    this.sender.port.onmessage = null;
    this.player.port.onmessage = null;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    await this.context.close();
  }
}

async function openMicrophone(deviceId: string): Promise<{ stream: MediaStream | undefined; microphone: MicrophoneState }> {
  if (!navigator.mediaDevices?.getUserMedia) return { stream: undefined, microphone: 'unavailable' };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      // A phone line carries the caller's own audio: no processing that could
      // squash or gate in-band tones played near the microphone.
      audio: {
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: false,
        channelCount: 1,
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      },
    });
    return { stream, microphone: 'on' };
  } catch (error) {
    const name = (error as DOMException).name;
    return { stream: undefined, microphone: name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable' };
  }
}
