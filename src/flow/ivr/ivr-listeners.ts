/**
 * The subscribers of one Ivr's event stream. A subscriber that throws is
 * reported to `onError` and the others still get the event, so a faulty
 * subscriber cannot leave a machine half-way through a transition.
 */
import type { IvrEvent } from '../ivr-events.ts';

export type IvrListener = (event: IvrEvent) => void;

export class IvrListeners {
  private readonly listeners = new Set<IvrListener>();
  private readonly onError: (error: unknown, event: IvrEvent) => void;

  constructor(onError: (error: unknown, event: IvrEvent) => void) {
    this.onError = onError;
  }

  add(listener: IvrListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  publish(event: IvrEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error, event);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
