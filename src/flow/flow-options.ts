/**
 * Timing and retry limits of the caller's flow. The machines read these from
 * their context (given as input), never from module state, so one process
 * can run flows with different settings side by side.
 */
import { FlowOptionsError } from './flow-errors.ts';

export interface FlowOptions {
  /**
   * Time allowed for the first key of the conference ID after the prompt
   * asking for it has finished, in ms. Asterisk's TIMEOUT(response) default.
   */
  readonly firstDigitTimeoutMs: number;
  /** Time allowed between two keys of the conference ID, in ms. Asterisk's TIMEOUT(digit) default. */
  readonly interDigitTimeoutMs: number;
  /** Longest conference ID accepted; one more key makes the entry invalid. */
  readonly maxConferenceIdDigits: number;
  /** Invalid, empty or timed-out conference ID entries before `goodbye` and hang-up. */
  readonly maxConferenceIdFailures: number;
  /** Time the leader question waits for `*` or `#` after it has finished, in ms; then the lobby. */
  readonly leaderQuestionTimeoutMs: number;
  /** Time allowed for the first key of a PIN (also a new PIN) after its prompt, in ms. */
  readonly pinFirstDigitTimeoutMs: number;
  /** Time allowed between two keys of a PIN (also a new PIN), in ms. */
  readonly pinInterDigitTimeoutMs: number;
  /** Wrong PINs (rejected by the directory) in one call before `goodbye` and hang-up. */
  readonly maxPinAttempts: number;
  /**
   * Empty (`#` alone) or timed-out PIN entries in a row before the caller is
   * sent to the lobby. These never reach the directory, so never count
   * toward lockout.
   */
  readonly maxPinNoInputs: number;
  /** Failed PIN changes (mismatch, policy, empty, timeout) before `goodbye` and hang-up. */
  readonly maxPinChangeAttempts: number;
  /** Longest wait in the lobby before `goodbye` and hang-up, in ms; 0 or undefined: no limit. */
  readonly lobbyTimeoutMs?: number | undefined;
}

/**
 * Asterisk's in-PBX defaults for the digit timeouts: TIMEOUT(response) 10 s,
 * TIMEOUT(digit) 5 s (Asterisk dialplan function TIMEOUT()).
 */
export const DEFAULT_FLOW_OPTIONS: FlowOptions = Object.freeze({
  firstDigitTimeoutMs: 10_000,
  interDigitTimeoutMs: 5_000,
  maxConferenceIdDigits: 20,
  maxConferenceIdFailures: 3,
  leaderQuestionTimeoutMs: 5_000,
  pinFirstDigitTimeoutMs: 10_000,
  pinInterDigitTimeoutMs: 5_000,
  maxPinAttempts: 3,
  maxPinNoInputs: 3,
  maxPinChangeAttempts: 3,
  lobbyTimeoutMs: undefined,
});

const DURATIONS = [
  'firstDigitTimeoutMs',
  'interDigitTimeoutMs',
  'leaderQuestionTimeoutMs',
  'pinFirstDigitTimeoutMs',
  'pinInterDigitTimeoutMs',
] as const satisfies readonly (keyof FlowOptions)[];

const COUNTS = [
  'maxConferenceIdDigits',
  'maxConferenceIdFailures',
  'maxPinAttempts',
  'maxPinNoInputs',
  'maxPinChangeAttempts',
] as const satisfies readonly (keyof FlowOptions)[];

const KNOWN = new Set<string>([...DURATIONS, ...COUNTS, 'lobbyTimeoutMs']);

/** Merges `overrides` over the defaults and validates the result once. */
export function resolveFlowOptions(overrides: Partial<FlowOptions> = {}): FlowOptions {
  for (const key of Object.keys(overrides)) {
    if (!KNOWN.has(key)) throw new FlowOptionsError(`unknown flow option '${key}'`);
  }
  const options: FlowOptions = { ...DEFAULT_FLOW_OPTIONS, ...dropUndefined(overrides) };
  for (const key of DURATIONS) {
    const value = options[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new FlowOptionsError(`flow option ${key} must be a positive number of ms, got ${String(value)}`);
    }
  }
  for (const key of COUNTS) {
    const value = options[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new FlowOptionsError(`flow option ${key} must be an integer >= 1, got ${String(value)}`);
    }
  }
  const lobby = options.lobbyTimeoutMs;
  if (lobby !== undefined && (typeof lobby !== 'number' || !Number.isFinite(lobby) || lobby < 0)) {
    throw new FlowOptionsError(`flow option lobbyTimeoutMs must be 0 (off) or a positive number of ms, got ${String(lobby)}`);
  }
  return Object.freeze(options);
}

function dropUndefined(overrides: Partial<FlowOptions>): Partial<FlowOptions> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(overrides)) {
    // An explicit `lobbyTimeoutMs: undefined` means "off", which is also the default.
    if (value !== undefined) result[key] = value;
  }
  return result as Partial<FlowOptions>;
}
