/**
 * What the page and the softphone's audio worklets say to each other: the
 * processors' names, their construction options and their port messages.
 * Shared by both sides; importing a worklet module itself on the page would
 * try to register it there.
 */
import type { JitterBufferStats } from './jitter-buffer.ts';

export const SENDER_PROCESSOR = 'dialin-pcm-sender';
export const PLAYER_PROCESSOR = 'dialin-pcm-player';

export interface SenderOptions {
  /** The call's sample rate. */
  outputRate: number;
  /** Length of each posted frame in ms. */
  frameMs: number;
}

/** Posted by the sender to the page for every frame. */
export interface SenderFrame {
  /** 16-bit LE PCM at the call's rate. */
  readonly pcm: ArrayBuffer;
  /** Peak absolute sample of the frame, 0 to 1, for the level meter. */
  readonly peak: number;
}

export interface PlayerOptions {
  /** The call's sample rate: the rate of the posted samples. */
  inputRate: number;
  /** Jitter buffer fill before playing, ms. */
  targetMs: number;
  /** Jitter buffer limit, ms. */
  maxMs: number;
}

/** Posted by the page to the player. */
export type PlayerCommand =
  | { readonly type: 'samples'; readonly samples: Float32Array }
  | { readonly type: 'clear' };

/** Posted by the player to the page a few times a second. */
export interface PlayerReport extends JitterBufferStats {
  /** Peak absolute sample played since the last report, 0 to 1. */
  readonly peak: number;
}
