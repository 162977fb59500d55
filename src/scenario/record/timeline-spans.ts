/**
 * Spans of a call's timeline for the picture's lanes: from the event that
 * starts one (a state entered, a prompt started) to the next such event or
 * the one that stops it, the last running to the end of the recording.
 */
import type { TimelineEvent } from '../scenario-result.ts';

export interface Span<T> {
  readonly value: T;
  readonly fromMs: number;
  readonly toMs: number;
}

export function spans<T>(events: readonly TimelineEvent[], endMs: number, start: (event: TimelineEvent) => T | undefined, stop: (event: TimelineEvent, open: T) => boolean): Span<T>[] {
  const out: Span<T>[] = [];
  let open: { value: T; fromMs: number } | undefined;
  for (const event of events) {
    const started = start(event);
    if (open && (started !== undefined || stop(event, open.value))) {
      out.push({ value: open.value, fromMs: open.fromMs, toMs: event.atMs });
      open = undefined;
    }
    if (started !== undefined) open = { value: started, fromMs: event.atMs };
  }
  if (open) out.push({ value: open.value, fromMs: open.fromMs, toMs: endMs });
  return out;
}
