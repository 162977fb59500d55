/**
 * When each simulated party (a call, a script) next needs attention. A
 * min-heap with lazy deletion: rescheduling a key pushes a new entry and
 * makes the old one stale, so an update costs O(log n) and a thousand idle
 * calls cost nothing per step.
 */

interface Entry<K> {
  readonly atMs: number;
  readonly key: K;
  readonly version: number;
}

export class WakeQueue<K> {
  #heap: Entry<K>[] = [];
  #versions = new Map<K, number>();
  #times = new Map<K, number>();

  /** Sets when `key` next wakes; Infinity removes it. */
  set(key: K, atMs: number): void {
    if (this.#times.get(key) === atMs) return;
    const version = (this.#versions.get(key) ?? 0) + 1;
    this.#versions.set(key, version);
    if (atMs === Infinity) {
      this.#times.delete(key);
      return;
    }
    this.#times.set(key, atMs);
    this.#push({ atMs, key, version });
  }

  get(key: K): number {
    return this.#times.get(key) ?? Infinity;
  }

  /** The earliest wake time, Infinity when nothing is scheduled. */
  peekMs(): number {
    this.#dropStale();
    return this.#heap[0]?.atMs ?? Infinity;
  }

  /** Removes and returns every key due at or before `atMs`, earliest first. */
  takeDue(atMs: number): K[] {
    const due: K[] = [];
    for (;;) {
      this.#dropStale();
      const top = this.#heap[0];
      if (!top || top.atMs > atMs) return due;
      this.#pop();
      this.#times.delete(top.key);
      this.#versions.set(top.key, top.version + 1);
      due.push(top.key);
    }
  }

  #dropStale(): void {
    while (this.#heap.length > 0) {
      const top = this.#heap[0]!;
      if (this.#versions.get(top.key) === top.version) return;
      this.#pop();
    }
  }

  #push(entry: Entry<K>): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.atMs <= entry.atMs) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.atMs < heap[left]!.atMs ? right : left;
      if (heap[child]!.atMs >= last.atMs) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
