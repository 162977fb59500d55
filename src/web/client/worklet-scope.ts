/**
 * The AudioWorkletGlobalScope as seen from a worklet module. TypeScript's DOM
 * library describes the main thread only, so the worklets reach their global
 * scope through this typed view instead of ambient declarations.
 */
export interface AudioWorkletProcessorBase {
  readonly port: MessagePort;
}

export interface ProcessorOptions<T> {
  readonly processorOptions: T;
}

export interface AudioWorkletScope {
  /** The AudioContext's sample rate. */
  readonly sampleRate: number;
  readonly currentTime: number;
  readonly AudioWorkletProcessor: new () => AudioWorkletProcessorBase;
  registerProcessor(name: string, processor: new (options: ProcessorOptions<never>) => AudioWorkletProcessorBase): void;
}

export const worklet = globalThis as unknown as AudioWorkletScope;
