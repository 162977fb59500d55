/**
 * Audio thread, outgoing: takes the mix of microphone and key tones at the
 * AudioContext's rate, converts it to the call's rate and posts 20 ms frames
 * of 16-bit LE PCM to the page, which sends them on the call's WebSocket.
 * With no input connected (no microphone, no tone sounding) it sends
 * silence, so the stream's sample count keeps pace with the clock, as a
 * phone line does.
 */
import { encodePcm16 } from './pcm.ts';
import { Resampler } from './resampler.ts';
import { worklet, type ProcessorOptions } from './worklet-scope.ts';
import { SENDER_PROCESSOR, type SenderFrame, type SenderOptions } from './audio-messages.ts';

const RENDER_QUANTUM = 128;

class PcmSender extends worklet.AudioWorkletProcessor {
  private readonly resampler: Resampler;
  private readonly converted: Float32Array;
  private readonly frame: Float32Array;
  private frameFill = 0;
  private readonly silence = new Float32Array(RENDER_QUANTUM);

  constructor(options: ProcessorOptions<SenderOptions>) {
    super();
    const { outputRate, frameMs } = options.processorOptions;
    this.resampler = new Resampler({ inputRate: worklet.sampleRate, outputRate });
    this.converted = new Float32Array(this.resampler.maxOutput(RENDER_QUANTUM));
    this.frame = new Float32Array(Math.round((outputRate * frameMs) / 1000));
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0] ?? this.silence;
    const count = this.resampler.process(input, this.converted);
    for (let i = 0; i < count; i++) {
      this.frame[this.frameFill++] = this.converted[i]!;
      if (this.frameFill === this.frame.length) this.postFrame();
    }
    return true;
  }

  private postFrame(): void {
    let peak = 0;
    for (const sample of this.frame) peak = Math.max(peak, Math.abs(sample));
    const message: SenderFrame = { pcm: encodePcm16(this.frame), peak };
    this.port.postMessage(message, [message.pcm]);
    this.frameFill = 0;
  }
}

worklet.registerProcessor(SENDER_PROCESSOR, PcmSender);
