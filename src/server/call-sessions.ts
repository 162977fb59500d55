/**
 * Makes the CallSession of each admitted call, whatever transport carries
 * it: the call's id, its media at the caller's rate, its decoder, and its
 * registration with the shared Ivr (through the bridge) before it starts.
 */
import { DtmfDetector } from '../dsp/dtmf-detector.ts';
import { CallMedia } from '../media/call-media.ts';
import type { PromptLibrary } from '../media/prompt-library.ts';
import { CallSession, type SessionSink } from '../session/call-session.ts';
import type { DigitMergerOptions } from '../session/digit-merger.ts';
import type { IvrBridge } from './ivr-bridge.ts';

/** What a transport knows once the caller's start message has arrived. */
export interface CallStart {
  readonly sampleRate: number;
  readonly from?: string | undefined;
}

export interface CallSessionsConfig {
  readonly library: PromptLibrary;
  readonly bridge: IvrBridge;
  /** Audio per frame, ms. */
  readonly frameMs: number;
  readonly digitMerger?: Partial<DigitMergerOptions> | undefined;
  /** Put before every call id (`c1`, `c2`, ...): a bridge of several servers names its calls apart by node. */
  readonly callIdPrefix?: string | undefined;
}

export class CallSessions {
  private readonly config: CallSessionsConfig;
  private counter = 0;

  constructor(config: CallSessionsConfig) {
    this.config = config;
  }

  /** Calls since start. */
  get total(): number {
    return this.counter;
  }

  /**
   * A new call's session, registered but not started. `protocol` names the
   * transport in call-started; `startedAt` (monotonic ms) is the call's time zero.
   */
  create(protocol: string, start: CallStart, sink: SessionSink, startedAt: number): CallSession {
    const { library, bridge, frameMs, digitMerger } = this.config;
    const session = new CallSession(
      {
        callId: `${this.config.callIdPrefix ?? ''}c${++this.counter}`,
        ...(start.from !== undefined ? { from: start.from } : {}),
        protocol,
        sampleRate: start.sampleRate,
        frameMs,
        flow: bridge.flow,
        media: new CallMedia(library, { outputRate: start.sampleRate }),
        decoder: new DtmfDetector({ sampleRate: start.sampleRate }),
        nowMs: () => performance.now() - startedAt,
        ...(digitMerger ? { merger: digitMerger } : {}),
      },
      sink,
    );
    bridge.add(session, start.from);
    return session;
  }
}
