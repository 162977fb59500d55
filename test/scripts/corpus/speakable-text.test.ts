import { describe, expect, it } from 'vitest';
import { speakableText } from '../../../scripts/corpus/speakable-text.ts';

describe('speakableText', () => {
  it('drops bold and underline overstrikes and collapses whitespace', () => {
    expect(speakableText('N\bNA\bAM\bME\bE\n     _\bx_\bz  -  compress\n\n', 100)).toBe('NAME xz - compress');
  });

  it('cuts at the last sentence end that keeps at least half the text', () => {
    expect(speakableText('One two three. Four five six seven. Eight nine', 40)).toBe('One two three. Four five six seven.');
  });

  it('cuts at a word end when no sentence ends late enough', () => {
    expect(speakableText('A. Bbbbbbbbbb cccccccccc dddddddddd', 30)).toBe('A. Bbbbbbbbbb cccccccccc');
  });

  it('keeps only letters and sentence punctuation when asked', () => {
    expect(speakableText('man(1) - un\'interfaccia ai manuali, versione 2.11.2.', 100, { lettersOnly: true })).toBe("man un'interfaccia ai manuali, versione . . .");
  });
});
