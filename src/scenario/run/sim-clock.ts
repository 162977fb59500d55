/**
 * The scenario's clock for XState delays: it implements XState's clock
 * interface (setTimeout/clearTimeout) and, unlike SimulatedClock, tells the
 * simulation when the next timer is due, so the run can jump straight to it.
 * Timers due at the same ms fire in the order they were set.
 */

interface Timer {
  readonly id: number;
  readonly dueMs: number;
  readonly fn: () => void;
}

export class SimClock {
  #nowMs = 0;
  #nextId = 1;
  /** Min-heap by (dueMs, id). */
  #heap: Timer[] = [];
  #cancelled = new Set<number>();

  now(): number {
    return this.#nowMs;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): number {
    const id = this.#nextId++;
    this.#push({ id, dueMs: this.#nowMs + Math.max(0, timeoutMs), fn: fn as () => void });
    return id;
  }

  clearTimeout(id: unknown): void {
    if (typeof id === 'number') this.#cancelled.add(id);
  }

  /** When the earliest live timer is due, ms; Infinity when none is set. */
  nextDueMs(): number {
    this.#dropCancelled();
    return this.#heap[0]?.dueMs ?? Infinity;
  }

  /** Moves time to `ms` without firing anything (the caller fires due timers with fireNext). */
  setNow(ms: number): void {
    if (ms < this.#nowMs) throw new RangeError(`the simulated clock cannot go back from ${this.#nowMs} to ${ms} ms`);
    this.#nowMs = ms;
  }

  /** Fires the earliest timer if it is due by now; returns whether one fired. */
  fireNext(): boolean {
    this.#dropCancelled();
    const top = this.#heap[0];
    if (!top || top.dueMs > this.#nowMs) return false;
    this.#pop();
    top.fn();
    return true;
  }

  #dropCancelled(): void {
    while (this.#heap.length > 0 && this.#cancelled.has(this.#heap[0]!.id)) {
      this.#cancelled.delete(this.#pop().id);
    }
  }

  #less(a: Timer, b: Timer): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.id < b.id);
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): Timer {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.#less(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && this.#less(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
