/**
 * An in-memory DirectoryPort for flow tests: conferences, organizer PINs,
 * failure counting with lockout, expired PINs and a small PIN policy. It
 * records which methods were called (never the PINs) and can be told to
 * fail a method, to exercise the flow's error paths.
 */
import type {
  ConferenceInfo,
  DirectoryPort,
  PinChange,
  PinEntryLimits,
  PinVerification,
} from '../../src/flow/directory-port.ts';

type Method = 'findConference' | 'verifyLeaderPin' | 'changePin';

export class FakeDirectory implements DirectoryPort {
  readonly conferenceInfo = new Map<string, ConferenceInfo>();
  readonly pins = new Map<string, string>();
  readonly mustChange = new Set<string>();
  readonly failures = new Map<string, number>();
  readonly calls: Method[] = [];
  /** Wrong PINs (across calls) after which the organizer is locked. */
  lockAfter = 5;
  minPinLength = 4;
  maxPinDigits = 8;
  /** Methods that reject with an Error instead of answering. */
  readonly failing = new Set<Method>();
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;

  /** Holds every answer until resume(). */
  pause(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  resume(): void {
    this.release?.();
    this.gate = undefined;
    this.release = undefined;
  }

  addConference(id: string, organizerId: string, pin: string, extra: { anonymous?: boolean; mustChange?: boolean } = {}) {
    this.conferenceInfo.set(id, { id, organizerId, allowAnonymousStart: extra.anonymous ?? false });
    this.pins.set(organizerId, pin);
    if (extra.mustChange) this.mustChange.add(organizerId);
    return this;
  }

  count(method: Method): number {
    return this.calls.filter((call) => call === method).length;
  }

  isLocked(userId: string): boolean {
    return (this.failures.get(userId) ?? 0) >= this.lockAfter;
  }

  async findConference(conferenceId: string): Promise<ConferenceInfo | undefined> {
    await this.enter('findConference');
    return this.conferenceInfo.get(conferenceId);
  }

  async verifyLeaderPin(conferenceId: string, pin: string): Promise<PinVerification> {
    await this.enter('verifyLeaderPin');
    const conference = this.conferenceInfo.get(conferenceId);
    if (!conference) throw new Error(`no conference ${conferenceId}`);
    const userId = conference.organizerId;
    if (this.isLocked(userId)) return { outcome: 'locked', userId };
    if (this.pins.get(userId) === pin) {
      this.failures.set(userId, 0);
      return { outcome: 'accepted', userId, mustChange: this.mustChange.has(userId) };
    }
    this.failures.set(userId, (this.failures.get(userId) ?? 0) + 1);
    return { outcome: 'rejected', userId, lockedNow: this.isLocked(userId) };
  }

  async changePin(userId: string, newPin: string): Promise<PinChange> {
    await this.enter('changePin');
    if (newPin.length < this.minPinLength) return { outcome: 'policy-rejected', rule: 'min-length' };
    if (/^(\d)\1*$/.test(newPin)) return { outcome: 'policy-rejected', rule: 'repeated-digit' };
    if (newPin === this.pins.get(userId)) return { outcome: 'policy-rejected', rule: 'reuse' };
    this.pins.set(userId, newPin);
    this.mustChange.delete(userId);
    return { outcome: 'changed' };
  }

  pinEntryLimits(): PinEntryLimits {
    return { maxPinDigits: this.maxPinDigits };
  }

  private async enter(method: Method): Promise<void> {
    this.calls.push(method);
    if (this.gate) await this.gate;
    if (this.failing.has(method)) throw new Error(`directory unavailable (${method})`);
  }
}

/**
 * The directory most flow tests share:
 * - 1234: organizer alice, PIN 5678, needs a leader
 * - 4321: organizer bob, anonymous start allowed
 * - 9999: organizer carol, PIN 2468 expired (must change)
 */
export function standardDirectory(): FakeDirectory {
  return new FakeDirectory()
    .addConference('1234', 'alice', '5678')
    .addConference('4321', 'bob', '1357', { anonymous: true })
    .addConference('9999', 'carol', '2468', { mustChange: true });
}
