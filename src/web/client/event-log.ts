/**
 * The call log: one line per server event or local happening, stamped with
 * the call time. Lines carry data attributes (event, digit, state) so that
 * tools and tests can read the log without parsing its text.
 */

export type LogKind = 'server' | 'local' | 'digit' | 'error';

export interface LogLine {
  /** Milliseconds since the call started, or undefined when not in a call. */
  readonly callMs: number | undefined;
  readonly kind: LogKind;
  readonly text: string;
  /** Extra data-* attributes, e.g. { event: 'digit-heard', digit: '5' }. */
  readonly data?: Readonly<Record<string, string>>;
}

/** Lines kept; older ones scroll away so a long call stays light. */
const MAX_LINES = 500;

/** Formats call time as m:ss.mmm. */
export function formatCallTime(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  const minutes = Math.floor(whole / 60_000);
  const seconds = Math.floor((whole % 60_000) / 1000);
  return `${minutes}:${String(seconds).padStart(2, '0')}.${String(whole % 1000).padStart(3, '0')}`;
}

export class EventLog {
  constructor(private readonly list: HTMLOListElement) {}

  add(line: LogLine): void {
    const item = document.createElement('li');
    item.className = `log-line log-${line.kind}`;
    for (const [name, value] of Object.entries(line.data ?? {})) item.dataset[name] = value;
    const time = document.createElement('time');
    time.textContent = line.callMs === undefined ? '–:––.–––' : formatCallTime(line.callMs);
    const text = document.createElement('span');
    text.textContent = line.text;
    item.append(time, text);
    const atBottom = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 8;
    this.list.append(item);
    while (this.list.childElementCount > MAX_LINES) this.list.firstElementChild?.remove();
    if (atBottom) this.list.scrollTop = this.list.scrollHeight;
  }

  clear(): void {
    this.list.replaceChildren();
  }
}
