/**
 * The 16-key dial pad: buttons laid out as on a phone (with the letter
 * groups of ITU-T E.161 under the digits and the A-D column on the right),
 * and the keyboard: 0-9, *, # and A-D press keys unless focus is in a form
 * field.
 */
import { KEYPAD, isDtmfKey, type DtmfKey } from '../../dsp/dtmf-keys.ts';

/** Letters printed under the digits (ITU-T E.161). */
const KEY_LETTERS: Partial<Record<DtmfKey, string>> = {
  '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ', '0': '+',
};

const KEY_NAMES: Partial<Record<DtmfKey, string>> = { '*': 'star', '#': 'pound' };

export interface KeypadView {
  /** Marks a key as sounding (pressed look) or not. */
  setSounding(key: DtmfKey, sounding: boolean): void;
  clearSounding(): void;
  setEnabled(enabled: boolean): void;
}

export function createKeypad(container: HTMLElement, onKey: (key: DtmfKey) => void): KeypadView {
  const buttons = new Map<DtmfKey, HTMLButtonElement>();
  for (const row of KEYPAD) {
    for (const key of row) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = /[A-D]/.test(key) ? 'key key-letter' : 'key';
      button.dataset.key = key;
      button.setAttribute('aria-label', `Key ${KEY_NAMES[key] ?? key}`);
      const label = document.createElement('span');
      label.className = 'key-main';
      label.textContent = key;
      const letters = document.createElement('span');
      letters.className = 'key-sub';
      letters.setAttribute('aria-hidden', 'true');
      letters.textContent = KEY_LETTERS[key] ?? '\u00a0';
      button.append(label, letters);
      button.addEventListener('click', () => onKey(key));
      buttons.set(key, button);
      container.append(button);
    }
  }

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, select, textarea, [contenteditable="true"]')) return;
    const key = event.key.length === 1 ? event.key.toUpperCase() : '';
    if (!isDtmfKey(key)) return;
    const button = buttons.get(key);
    if (!button || button.disabled) return;
    event.preventDefault();
    onKey(key);
  });

  return {
    setSounding(key, sounding) {
      buttons.get(key)?.classList.toggle('sounding', sounding);
    },
    clearSounding() {
      for (const button of buttons.values()) button.classList.remove('sounding');
    },
    setEnabled(enabled) {
      for (const button of buttons.values()) button.disabled = !enabled;
    },
  };
}
