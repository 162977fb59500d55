/**
 * A real SIP service on 127.0.0.1 port 0 for the SIPp tests, built from the
 * same pieces server.ts uses: an in-memory directory with the demo
 * deployment (plus a conference whose ID repeats a key), the shared Ivr
 * behind an IvrBridge, CallMedia, the in-band decoder and the call log.
 * The organizer's PIN is set to a known value so scenario files can key it.
 */
import { openDirectory } from '../../../src/directory/open-directory.ts';
import type { PinDirectory } from '../../../src/directory/pin-directory.ts';
import { DtmfDetector } from '../../../src/dsp/dtmf-detector.ts';
import { createIvr } from '../../../src/flow/ivr.ts';
import { CallMedia } from '../../../src/media/call-media.ts';
import { loadPromptLibrary } from '../../../src/media/load-prompt-library.ts';
import type { PromptLibrary } from '../../../src/media/prompt-library.ts';
import type { CallEvent } from '../../../src/session/call-events.ts';
import { CallSession } from '../../../src/session/call-session.ts';
import { CallLog } from '../../../src/server/call-log.ts';
import { ensureDemoDeployment } from '../../../src/server/demo-deployment.ts';
import { IvrBridge } from '../../../src/server/ivr-bridge.ts';
import { startSipService, type RunningSipService, type SipServiceDependencies } from '../../../src/server/sip/sip-service.ts';
import type { SipServiceOptions } from '../../../src/server/sip/sip-service-options.ts';

/** The organizer's PIN in these tests; the fixtures key it. */
export const TEST_PIN = '24680';
/** A second conference of the organizer whose ID keys the same digit twice in a row. */
export const REPEAT_CONFERENCE = '110022';

export interface SipTestService extends RunningSipService {
  readonly directory: PinDirectory;
  /** Every log line written. */
  readonly lines: string[];
  /** Every session event, unmasked, by session call id (never logged). */
  readonly events: Map<string, CallEvent[]>;
  /** The RTP port the IVR answered a SIP Call-ID with (from its answered note). */
  rtpPortOf(sipCallId: string): number;
  /** The session call ids whose events include `event` (and match `test`). */
  callsWith(event: CallEvent['event'], test?: (e: CallEvent) => boolean): string[];
}

let library: Promise<PromptLibrary> | undefined;

export async function startSipTestService(
  overrides: Partial<SipServiceOptions> = {},
  hooks: Pick<SipServiceDependencies, 'checkCaller'> = {},
): Promise<SipTestService> {
  library ??= loadPromptLibrary().then((loaded) => (loaded.atRate(8000), loaded));
  const prompts = await library;
  const lines: string[] = [];
  const log = new CallLog((line) => lines.push(line));
  const { directory } = await openDirectory({ db: ':memory:' });
  await ensureDemoDeployment(directory);
  await directory.setPin('amos', TEST_PIN, { mail: false });
  await directory.upsertConference({ id: REPEAT_CONFERENCE, organizerId: 'amos', allowAnonymousStart: null });
  const ivr = createIvr({
    directory,
    options: { firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 4000, leaderQuestionTimeoutMs: 4000, pinFirstDigitTimeoutMs: 5000, pinInterDigitTimeoutMs: 4000 },
    onListenerError: (error) => lines.push(`ivr listener failed: ${(error as Error).message}`),
  });
  const bridge = new IvrBridge(ivr, (callId, message) => log.note(callId, message));
  const events = new Map<string, CallEvent[]>();
  let counter = 0;
  const service = await startSipService(
    { host: '127.0.0.1', port: 0, ...overrides },
    {
      ...hooks,
      log,
      createSession: (protocol, from, sink, startedAt) => {
        const callId = `c${++counter}`;
        const recorded: CallEvent[] = [];
        events.set(callId, recorded);
        const session = new CallSession(
          {
            callId,
            ...(from !== undefined ? { from } : {}),
            protocol,
            sampleRate: 8000,
            frameMs: 20,
            flow: bridge.flow,
            media: new CallMedia(prompts, { outputRate: 8000 }),
            decoder: new DtmfDetector({ sampleRate: 8000 }),
            nowMs: () => performance.now() - startedAt,
          },
          { audio: sink.audio, event: (event) => (recorded.push(event), sink.event(event)) },
        );
        bridge.add(session, from);
        return session;
      },
    },
  );
  const stopService = service.close;
  const close = async () => {
    await stopService();
    bridge.stop();
    await directory.close();
  };
  const callsWith = (event: CallEvent['event'], test: (e: CallEvent) => boolean = () => true) =>
    [...events].filter(([, list]) => list.some((e) => e.event === event && test(e))).map(([id]) => id);
  const rtpPortOf = (sipCallId: string) => {
    const line = lines.find((l) => l.includes(`Call-ID ${sipCallId} answered`));
    return Number(/rtp port (\d+)/.exec(line ?? '')?.[1] ?? 0);
  };
  return Object.assign(service, { directory, lines, events, callsWith, rtpPortOf, close });
}
