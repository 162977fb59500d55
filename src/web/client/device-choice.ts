/**
 * The microphone and speaker pickers in the line settings, filled from
 * MediaDevices.enumerateDevices(). A picker is shown only where it can
 * work: the microphone where the browser lists inputs it will name by id,
 * the speakers also only where AudioContext.setSinkId exists. Browsers list
 * devices without ids or names until the page may use the microphone, so
 * the lists are filled again once it has been opened and on devicechange.
 */
import { canChooseOutput } from './audio-engine.ts';

export interface DevicePickers {
  /** The label around the microphone select, hidden when there is no choice. */
  readonly inputField: HTMLElement;
  readonly input: HTMLSelectElement;
  readonly outputField: HTMLElement;
  readonly output: HTMLSelectElement;
}

export async function fillDevicePickers(pickers: DevicePickers): Promise<void> {
  const devices = navigator.mediaDevices?.enumerateDevices ? await navigator.mediaDevices.enumerateDevices().catch(() => []) : [];
  fill(pickers.inputField, pickers.input, devices.filter((device) => device.kind === 'audioinput'), 'Microphone');
  fill(pickers.outputField, pickers.output, canChooseOutput() ? devices.filter((device) => device.kind === 'audiooutput') : [], 'Speaker');
}

/** Refills the lists whenever the devices change (a headset plugged in). */
export function watchDevices(pickers: DevicePickers): void {
  navigator.mediaDevices?.addEventListener?.('devicechange', () => void fillDevicePickers(pickers));
}

function fill(field: HTMLElement, select: HTMLSelectElement, devices: readonly MediaDeviceInfo[], noun: string): void {
  // 'default' is Chromium's alias for the system default, already offered as ''.
  const named = devices.filter((device) => device.deviceId !== '' && device.deviceId !== 'default');
  field.hidden = named.length === 0;
  const chosen = select.value;
  const options = [new Option('System default', '')];
  named.forEach((device, index) => options.push(new Option(device.label || `${noun} ${index + 1}`, device.deviceId)));
  select.replaceChildren(...options);
  select.value = named.some((device) => device.deviceId === chosen) ? chosen : '';
}
