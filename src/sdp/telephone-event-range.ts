/**
 * The event lists of telephone-event's fmtp (RFC 4733 section 7.1.1):
 * comma-separated codes and ranges, "0-15" or "0-16" from softphones.
 * The core understands the DTMF events 0-15 (section 3.2), so an answer
 * lists what the offer has of those.
 */

export const SUPPORTED_EVENTS = '0-15';
const SUPPORTED_MAX = 15;

/** The offered events the core supports, as a range list; undefined when none (or the list is unreadable). */
export function intersectEvents(offered: string): string | undefined {
  const codes = new Set<number>();
  for (const part of offered.split(',')) {
    const match = /^\s*(\d{1,3})(?:-(\d{1,3}))?\s*$/.exec(part);
    if (!match) return undefined;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (first > last || last > 255) return undefined;
    for (let code = first; code <= Math.min(last, SUPPORTED_MAX); code++) codes.add(code);
  }
  const sorted = [...codes].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.length > 0 ? ranges.join(',') : undefined;
}
