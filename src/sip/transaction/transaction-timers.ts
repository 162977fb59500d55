/**
 * The timers of one transaction. Ids are `<transaction id>#<timer name>`, so
 * the layer can route a fired timer back to its owner, and a timer fired
 * after it was cancelled (a race the transport may lose) is recognised and
 * ignored.
 */
import type { CoreOutput } from './core-output.ts';

export class TransactionTimers {
  private readonly running = new Set<string>();

  constructor(private readonly owner: string) {}

  start(name: string, delayMs: number): CoreOutput {
    this.running.add(name);
    return { type: 'start-timer', id: timerId(this.owner, name), delayMs };
  }

  cancel(name: string): CoreOutput[] {
    if (!this.running.delete(name)) return [];
    return [{ type: 'cancel-timer', id: timerId(this.owner, name) }];
  }

  cancelAll(): CoreOutput[] {
    return [...this.running].flatMap((name) => this.cancel(name));
  }

  /** Marks a timer fired; false when it was not running. */
  fired(name: string): boolean {
    return this.running.delete(name);
  }
}

export function timerId(owner: string, name: string): string {
  return `${owner}#${name}`;
}

export function splitTimerId(id: string): { owner: string; name: string } | undefined {
  const hash = id.lastIndexOf('#');
  return hash < 0 ? undefined : { owner: id.slice(0, hash), name: id.slice(hash + 1) };
}
