/**
 * Text for espeak-ng from a formatted manual page or licence: overstrikes
 * (bold and underline as `x\bx`, `_\bx`) removed, whitespace collapsed, cut
 * at the last sentence (or word) end before `maxChars`. Pure.
 */
export function speakableText(formatted: string, maxChars: number): string {
  const plain = formatted
    .replace(/[^\n]\x08/g, '')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= maxChars) return plain;
  const head = plain.slice(0, maxChars);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('。'));
  if (sentence > maxChars / 2) return head.slice(0, sentence + 1);
  const word = head.lastIndexOf(' ');
  return word > 0 ? head.slice(0, word) : head;
}
