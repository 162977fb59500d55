/**
 * Keys a caller presses while the call is in a `type-ahead` state (the
 * directory is being asked), kept per call and replayed in order once the
 * call has left those states.
 */
import type { DtmfKey } from '../../dsp/dtmf-keys.ts';
import type { CallActor } from './call-actors.ts';

/** Type-ahead kept per call: a `#`, `*`, the longest PIN and its `#` fit easily. */
export const MAX_TYPE_AHEAD_KEYS = 32;

export class TypeAhead {
  /** Keys each call received in a `type-ahead` state, oldest first. */
  private readonly kept = new Map<string, DtmfKey[]>();

  /** Keeps `digit` for later; keys beyond MAX_TYPE_AHEAD_KEYS are dropped. */
  keep(callId: string, digit: DtmfKey): void {
    const keys = this.kept.get(callId) ?? [];
    if (keys.length < MAX_TYPE_AHEAD_KEYS) keys.push(digit);
    this.kept.set(callId, keys);
  }

  /**
   * Replays a call's type-ahead once it has left the `type-ahead` states.
   * Keys kept while an unknown conference ID was looked up are dropped, as
   * FreeSWITCH flushes DTMF after a failed entry: they were meant for the
   * leader question and PIN prompt, not for the next ID attempt. A key
   * pressed once `invalid-conference-id` plays is not type-ahead: the call
   * machine takes it as the first key of the next entry (Asterisk keeps a
   * key pressed during an error prompt), as it does during `invalid-pin`.
   */
  replay(callId: string, actor: CallActor): void {
    const keys = this.kept.get(callId);
    if (keys === undefined) return;
    const snapshot = actor.getSnapshot();
    if (snapshot.hasTag('type-ahead')) return;
    this.kept.delete(callId);
    if (snapshot.status !== 'active' || snapshot.context.conference === undefined) return;
    // Queued behind the event being processed, so the keys arrive in order.
    for (const digit of keys) actor.send({ type: 'DIGIT', digit });
  }

  forget(callId: string): void {
    this.kept.delete(callId);
  }

  clear(): void {
    this.kept.clear();
  }
}
