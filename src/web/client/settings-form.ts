/**
 * The softphone's line settings: call rate, caller id, microphone and
 * speaker devices, speaker volume, and the key tones' length, gap and level. Values are validated where they are
 * read; a field out of range falls back to its default and is flagged.
 * Everything but the caller id is remembered between visits (each tab is
 * its own caller).
 */
import { checkKeyToneOptions, DEFAULT_KEY_TONE_OPTIONS, type KeyToneOptions } from './tone-scheduler.ts';

export const CALL_RATES = [8000, 16000, 48000] as const;

export interface LineSettings {
  sampleRate: number;
  from: string;
  useMicrophone: boolean;
  /** Chosen devices' ids; empty for the browser's default. */
  inputDeviceId: string;
  outputDeviceId: string;
  /** Speaker volume, 0 to 1. */
  volume: number;
  tone: KeyToneOptions;
}

const STORAGE_KEY = 'dialin-sim.softphone.settings';
const REMEMBERED = ['sampleRate', 'microphone', 'volume', 'onMs', 'offMs', 'levelDbm0'] as const;

function field(form: HTMLFormElement, name: string): HTMLInputElement | HTMLSelectElement {
  const element = form.elements.namedItem(name);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) throw new Error(`settings form lacks ${name}`);
  return element;
}

export function readSettings(form: HTMLFormElement): LineSettings {
  const rate = Number(field(form, 'sampleRate').value);
  const tone = { ...DEFAULT_KEY_TONE_OPTIONS };
  for (const name of ['onMs', 'offMs', 'levelDbm0'] as const) {
    const input = field(form, name);
    const candidate = { ...DEFAULT_KEY_TONE_OPTIONS, [name]: Number(input.value) };
    const problem = input.value.trim() === '' ? `${name} is empty` : checkKeyToneOptions(candidate);
    input.setAttribute('aria-invalid', String(problem !== undefined));
    if (problem === undefined) tone[name] = candidate[name];
  }
  const microphone = field(form, 'microphone');
  const volume = Number(field(form, 'volume').value) / 100;
  return {
    sampleRate: (CALL_RATES as readonly number[]).includes(rate) ? rate : CALL_RATES[0],
    from: field(form, 'from').value.trim(),
    useMicrophone: microphone instanceof HTMLInputElement && microphone.checked,
    inputDeviceId: field(form, 'inputDevice').value,
    outputDeviceId: field(form, 'outputDevice').value,
    volume: Number.isFinite(volume) ? Math.min(1, Math.max(0, volume)) : 0.8,
    tone,
  };
}

export function saveSettings(form: HTMLFormElement): void {
  const saved: Record<string, string | boolean> = {};
  for (const name of REMEMBERED) {
    const input = field(form, name);
    saved[name] = input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value;
  }
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
  } catch {
    // Storage may be disabled (private mode); settings then last for the visit only.
  }
  showLevel(form);
}

export function restoreSettings(form: HTMLFormElement): void {
  let saved: Record<string, unknown> = {};
  try {
    saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, unknown>;
  } catch {
    saved = {};
  }
  for (const name of REMEMBERED) {
    const value = saved[name];
    const input = field(form, name);
    if (input instanceof HTMLInputElement && input.type === 'checkbox') {
      if (typeof value === 'boolean') input.checked = value;
    } else if (typeof value === 'string') {
      input.value = value;
    }
  }
  const from = field(form, 'from');
  if (!from.value) from.value = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  form.addEventListener('input', () => showLevel(form));
  showLevel(form);
}

function showLevel(form: HTMLFormElement): void {
  const level = form.querySelector<HTMLOutputElement>('output[for="levelDbm0"]');
  if (level) level.textContent = `${field(form, 'levelDbm0').value} dBm0`;
  const volume = form.querySelector<HTMLOutputElement>('output[for="volume"]');
  if (volume) volume.textContent = `${field(form, 'volume').value} %`;
}
