/**
 * Drives an Ivr on a simulated clock the way a media layer and a caller
 * would: it records every IvrEvent, knows what each call is playing, and
 * can finish that prompt, key digits, and walk a caller to a given state.
 */
import { expect } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { DtmfKey } from '../../src/dsp/dtmf-keys.ts';
import type { FlowOptions } from '../../src/flow/flow-options.ts';
import type { IvrEvent } from '../../src/flow/ivr-events.ts';
import { createIvr, type Ivr, type IvrConfig } from '../../src/flow/ivr.ts';
import type { PromptName } from '../../src/flow/names.ts';
import { standardDirectory, type FakeDirectory } from './fake-directory.ts';

/**
 * Lets promise actors (directory work) resolve: one macrotask turn drains
 * every microtask queued before it.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** SimulatedClock that also counts the timeouts still pending. */
export class CountingClock extends SimulatedClock {
  private readonly live = new Set<unknown>();

  override setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const id: number = super.setTimeout(() => {
      this.live.delete(id);
      fn();
    }, timeout);
    this.live.add(id);
    return id;
  }

  override clearTimeout(id: number): void {
    this.live.delete(id);
    super.clearTimeout(id);
  }

  pending(): number {
    return this.live.size;
  }
}

export interface HarnessOptions {
  options?: Partial<FlowOptions>;
  directory?: FakeDirectory;
  /** The conference registry (in memory when absent). */
  conferences?: IvrConfig['conferences'];
}

export class IvrHarness {
  readonly clock = new CountingClock();
  readonly directory: FakeDirectory;
  readonly ivr: Ivr;
  readonly events: IvrEvent[] = [];
  private readonly now = new Map<string, PromptName>();

  constructor(options: HarnessOptions = {}) {
    this.directory = options.directory ?? standardDirectory();
    this.ivr = createIvr({
      directory: this.directory,
      options: options.options ?? {},
      clock: this.clock,
      ...(options.conferences ? { conferences: options.conferences } : {}),
    });
    this.ivr.subscribe((event) => {
      this.events.push(event);
      if (event.type === 'play') this.now.set(event.callId, event.prompt);
      if (event.type === 'stop-prompt' || event.type === 'hung-up') this.now.delete(event.callId);
    });
  }

  /** The prompt a media layer would be playing for the call now. */
  playing(callId: string): PromptName | undefined {
    return this.now.get(callId);
  }

  /** Reports the current prompt finished, after checking it is `expected`. */
  finish(callId: string, expected?: PromptName): void {
    const prompt = this.now.get(callId);
    if (expected !== undefined) expect(prompt, `prompt playing for ${callId}`).toBe(expected);
    if (prompt === undefined) throw new Error(`nothing is playing for ${callId}`);
    this.now.delete(callId);
    this.ivr.promptFinished(callId, prompt);
  }

  keys(callId: string, digits: string): void {
    for (const digit of digits) this.ivr.digit(callId, digit as DtmfKey);
  }

  advance(ms: number): void {
    this.clock.increment(ms);
  }

  /** Events of one call (or about it, for conference events naming it). */
  eventsFor(callId: string): IvrEvent[] {
    return this.events.filter((event) => 'callId' in event && event.callId === callId);
  }

  prompts(callId: string): PromptName[] {
    return this.eventsFor(callId).flatMap((event) => (event.type === 'play' ? [event.prompt] : []));
  }

  states(callId: string): string[] {
    return this.eventsFor(callId).flatMap((event) => (event.type === 'state-entered' ? [event.state] : []));
  }

  hangupReason(callId: string): string | undefined {
    const event = this.eventsFor(callId).find((e) => e.type === 'hung-up');
    return event?.type === 'hung-up' ? event.reason : undefined;
  }

  /** Events of `type` since index `from`. */
  since<T extends IvrEvent['type']>(from: number, type: T): Extract<IvrEvent, { type: T }>[] {
    return this.events.slice(from).filter((event): event is Extract<IvrEvent, { type: T }> => event.type === type);
  }

  /** Answers and keys the conference ID; resolves once the directory answered. */
  async dialIn(callId: string, conferenceId: string): Promise<void> {
    this.ivr.startCall({ callId });
    this.finish(callId, 'welcome');
    this.finish(callId, 'enter-conference-id');
    this.keys(callId, `${conferenceId}#`);
    await settle();
  }

  /** Dials into a conference that needs a leader and answers `#`: the caller waits on hold. */
  async toLobby(callId: string, conferenceId = '1234'): Promise<void> {
    await this.dialIn(callId, conferenceId);
    expect(this.ivr.callState(callId)).toBe('leader-question');
    this.keys(callId, '#');
    this.finish(callId, 'waiting-for-leader');
    expect(this.playing(callId)).toBe('hold-music');
  }

  /** Dials in, answers `*` and lets enter-pin finish: the caller is ready to key a PIN. */
  async toPinEntry(callId: string, conferenceId = '1234'): Promise<void> {
    await this.dialIn(callId, conferenceId);
    this.keys(callId, '*');
    this.finish(callId, 'enter-pin');
    expect(this.ivr.callState(callId)).toBe('collecting-pin');
  }

  /** Keys `pin#` and waits for the directory's verdict. */
  async enterPin(callId: string, pin: string): Promise<void> {
    this.keys(callId, `${pin}#`);
    await settle();
  }

  /** Leads `callId` into conference 1234 as its organizer, starting the meeting. */
  async lead(callId: string, conferenceId = '1234', pin = '5678'): Promise<void> {
    await this.toPinEntry(callId, conferenceId);
    await this.enterPin(callId, pin);
    this.finish(callId, 'meeting-started');
    expect(this.ivr.callState(callId)).toBe('in-meeting');
  }
}
