/**
 * Durations in scenario files: `500ms`, `10s`, `1.5s`, `2m`, `1h`, `3d`,
 * and compounds such as `1m30s` or `1h 15m`. A bare `0` is zero; any other
 * bare number is refused, because `30` could mean seconds or milliseconds.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * The value of a duration field named `field`: a duration with a unit, or a
 * bare number of milliseconds where the name ends in `Ms` (`leadMs: 3000`,
 * `--flow interDigitTimeoutMs=3000`). Elsewhere (`at`, `within`, `wait`)
 * a bare number is refused: `30` could be seconds or milliseconds.
 */
export function parseDurationField(field: string, value: string | number): { ms: number } | { problem: string } {
  const text = String(value).trim();
  const bare = /^\d+(\.\d+)?$/.test(text);
  if (bare && field.endsWith('Ms')) {
    const ms = Number(text);
    return Number.isInteger(ms) ? { ms } : { problem: `'${text}' is not a whole number of milliseconds` };
  }
  if (bare && Number(text) !== 0) {
    return { problem: `'${text}' needs a unit: ${text}s or ${text}ms (a bare number means milliseconds only in fields whose name ends in Ms)` };
  }
  return parseDuration(text);
}

const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/y;

/** The number of ms in `text`, or a one-line reason why it is not a duration. */
export function parseDuration(text: string): { ms: number } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '0') return { ms: 0 };
  if (trimmed === '') return { problem: `'' is not a duration (use e.g. 500ms, 10s, 2m, 1h)` };
  let total = 0;
  let index = 0;
  let parts = 0;
  while (index < trimmed.length) {
    if (trimmed[index] === ' ') {
      index++;
      continue;
    }
    PART.lastIndex = index;
    const match = PART.exec(trimmed);
    if (!match) {
      const hint = /^\d+(\.\d+)?$/.test(trimmed) ? ` (add a unit: ${trimmed}s or ${trimmed}ms)` : ' (use e.g. 500ms, 10s, 1.5s, 2m, 1h)';
      return { problem: `'${text}' is not a duration${hint}` };
    }
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    index = PART.lastIndex;
    parts++;
  }
  if (parts === 0) return { problem: `'${text}' is not a duration (use e.g. 500ms, 10s, 2m, 1h)` };
  // Simulated time is kept in whole ms; 1.0005s would silently round otherwise.
  if (Math.abs(total - Math.round(total)) > 1e-6) {
    return { problem: `'${text}' is not a whole number of milliseconds` };
  }
  return { ms: Math.round(total) };
}

/** A duration as people write it: `500ms`, `10s`, `1.5s`, `2m`, `1m30s`, `1h`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(rest % 1000 === 0 ? `${rest / 1000}s` : `${(rest / 1000).toFixed(3).replace(/0+$/, '')}s`);
  return parts.join('');
}

/**
 * Simulated time on a timeline: `0:40.120`, `12:03.005`, `1:00:00.000`,
 * `31d 00:00:05.520`.
 * `precision` 'ms' keeps milliseconds, 's' rounds down to whole seconds.
 */
export function formatClock(ms: number, precision: 'ms' | 's' = 'ms'): string {
  const whole = Math.floor(ms);
  const days = Math.floor(whole / 86_400_000);
  const hours = Math.floor((whole % 86_400_000) / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = Math.floor((whole % 60_000) / 1000);
  const millis = whole % 1000;
  const two = (value: number) => String(value).padStart(2, '0');
  const head = days > 0 ? `${days}d ${two(hours)}:${two(minutes)}` : hours > 0 ? `${hours}:${two(minutes)}` : `${minutes}`;
  const clock = `${head}:${two(seconds)}`;
  return precision === 's' ? clock : `${clock}.${String(millis).padStart(3, '0')}`;
}
