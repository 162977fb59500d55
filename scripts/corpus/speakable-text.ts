/**
 * Text for espeak-ng from a formatted manual page or licence: overstrikes
 * (bold and underline as `x\bx`, `_\bx`) removed, whitespace collapsed, cut
 * at the last sentence (or word) end before `maxChars`. `lettersOnly` also
 * blanks digits and symbols, which festival's Italian voice cannot read
 * (it writes an empty file for "man(1)"). Pure.
 */
export function speakableText(formatted: string, maxChars: number, options: { lettersOnly?: boolean } = {}): string {
  const unformatted = formatted
    .replace(/[^\n]\x08/g, '')
    .replace(/\x1b\[[0-9;]*m/g, '');
  const plain = (options.lettersOnly ? unformatted.replace(/[^\p{L}\s.,;:'!?]/gu, ' ') : unformatted)
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= maxChars) return plain;
  const head = plain.slice(0, maxChars);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('。'));
  if (sentence > maxChars / 2) return head.slice(0, sentence + 1);
  const word = head.lastIndexOf(' ');
  return word > 0 ? head.slice(0, word) : head;
}
