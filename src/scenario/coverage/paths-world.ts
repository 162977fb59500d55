/**
 * The small, fixed world that generated path scenarios run in: one
 * organizer, conferences whose one-digit IDs select an outcome (needs a
 * leader, may start anonymously, directory fails on lookup or on the PIN
 * check), and PINs chosen so that every PIN rule outcome is one short key
 * sequence away. Three variants cover what one call cannot change by itself:
 * PINs that are fresh or expired, and a lockout on the first wrong PIN.
 *
 * The model (call-model.ts) predicts the directory with the same rules the
 * real directory applies; generated scenarios run against the real SQLite
 * directory, wrapped only to inject the two failures and the short PIN
 * limit.
 */
import { findPinViolation } from '../../directory/pin-policy.ts';
import type { ConferenceInfo, DirectoryPort, PinChange, PinVerification } from '../../flow/directory-port.ts';
import type { FlowOptions } from '../../flow/flow-options.ts';

export interface PathWorld {
  /** `fresh`, `expired` or `strict`. */
  readonly name: string;
  /** Calls are placed after the PINs' lifetime: the right PIN must be changed. */
  readonly expired: boolean;
  /** Wrong PINs in 30 minutes that lock the PIN. */
  readonly localLockLimit: number;
  /** Longest PIN the flow collects (the directory's pinEntryLimits). */
  readonly maxPinDigits: number;
  /**
   * The directory is faked to accept the one-key PIN "1" as expired: no real
   * directory can (PINs have at least 4 digits), but it is the only way to
   * reach the flow's handling of a new PIN completed by its first key.
   */
  readonly oneKeyPin: boolean;
}

export const PATH_WORLDS: readonly PathWorld[] = [
  { name: 'fresh', expired: false, localLockLimit: 10, maxPinDigits: 6, oneKeyPin: false },
  { name: 'expired', expired: true, localLockLimit: 10, maxPinDigits: 6, oneKeyPin: false },
  { name: 'strict', expired: false, localLockLimit: 1, maxPinDigits: 6, oneKeyPin: false },
  { name: 'one-key-pins', expired: true, localLockLimit: 10, maxPinDigits: 1, oneKeyPin: true },
];

export const WORLD = {
  organizer: 'amos',
  pin: '1357',
  /** Conference IDs and what each leads to. */
  needsLeader: '1',
  anonymous: '2',
  unknown: '4',
  lookupFails: '7',
  pinCheckFails: '8',
  /** New PINs: accepted, refused by the policy (one digit repeated), failing in the directory. */
  goodNewPin: '2580',
  commonNewPin: '1111',
  failingNewPin: '8888',
  /** The key used for wrong and over-long entries. */
  filler: '9',
  minLength: 4,
  historyCount: 2,
  lifetimeDays: 30,
} as const;

/** Flow options of every generated scenario. */
export const PATH_FLOW_OPTIONS: Partial<FlowOptions> = {
  maxConferenceIdDigits: 2,
  lobbyTimeoutMs: 600_000,
};

/** When calls are placed: after the PIN lifetime in the expired world. */
export function callStartMs(world: PathWorld): number {
  return world.expired ? (WORLD.lifetimeDays + 1) * 86_400_000 : 0;
}

export function conferenceInfo(conferenceId: string): ConferenceInfo | undefined {
  const known = [WORLD.needsLeader, WORLD.anonymous, WORLD.lookupFails, WORLD.pinCheckFails] as string[];
  if (!known.includes(conferenceId)) return undefined;
  return { id: conferenceId, organizerId: WORLD.organizer, allowAnonymousStart: conferenceId === WORLD.anonymous };
}

/** The deployment of a world, as YAML (inline in each generated scenario). */
export function worldDeployment(world: PathWorld): string {
  return [
    'deployment:',
    '  tenant: { pinLength: 4, allowAnonymousStart: false }',
    `  policy: { minLength: ${WORLD.minLength}, historyCount: ${WORLD.historyCount}, lifetimeDays: ${world.expired ? WORLD.lifetimeDays : 0}, allowCommonPatterns: false, maxLogonAttempts: { local: ${world.localLockLimit}, global: 100 } }`,
    '  users:',
    `    - { id: ${WORLD.organizer}, name: Amos Marble, email: amos@contoso.com, pin: "${WORLD.pin}" }`,
    '  conferences:',
    `    - { id: "${WORLD.needsLeader}", organizer: ${WORLD.organizer} }`,
    `    - { id: "${WORLD.anonymous}", organizer: ${WORLD.organizer}, allowAnonymousStart: true }`,
    `    - { id: "${WORLD.lookupFails}", organizer: ${WORLD.organizer} }`,
    `    - { id: "${WORLD.pinCheckFails}", organizer: ${WORLD.organizer} }`,
  ].join('\n');
}

/** The directory state the model tracks for its one organizer. */
export interface WorldPin {
  readonly pin: string;
  readonly expired: boolean;
  readonly failures: number;
  readonly locked: boolean;
  /** Recent PINs, newest first (the current one included). */
  readonly history: readonly string[];
}

/** The PIN of the one-key world, accepted by the faked directory. */
export const ONE_KEY_PIN = '1';

export function initialPin(world: PathWorld): WorldPin {
  const pin = world.oneKeyPin ? ONE_KEY_PIN : WORLD.pin;
  return { pin, expired: world.expired, failures: 0, locked: false, history: [WORLD.pin] };
}

export type Outcome<T> = { readonly ok: true; readonly value: T; readonly pin: WorldPin } | { readonly ok: false; readonly pin: WorldPin };

/** What the directory answers to a PIN, and its state afterwards. */
export function verifyOutcome(world: PathWorld, pin: WorldPin, conferenceId: string, entry: string): Outcome<PinVerification> {
  if (conferenceId === WORLD.pinCheckFails) return { ok: false, pin };
  const userId = WORLD.organizer;
  if (pin.locked) return { ok: true, value: { outcome: 'locked', userId }, pin };
  if (entry === pin.pin) return { ok: true, value: { outcome: 'accepted', userId, mustChange: pin.expired }, pin: { ...pin, failures: 0 } };
  const failures = pin.failures + 1;
  const lockedNow = failures >= world.localLockLimit;
  return { ok: true, value: { outcome: 'rejected', userId, lockedNow }, pin: { ...pin, failures, locked: lockedNow } };
}

/** What the directory answers to a new PIN. */
export function changeOutcome(pin: WorldPin, newPin: string): Outcome<PinChange> {
  if (newPin === WORLD.failingNewPin) return { ok: false, pin };
  const rule = findPinViolation(newPin, { minLength: WORLD.minLength, allowCommonPatterns: false }) ?? (pin.history.slice(0, WORLD.historyCount).includes(newPin) ? 'history' : undefined);
  if (rule !== undefined) return { ok: true, value: { outcome: 'policy-rejected', rule }, pin };
  return { ok: true, value: { outcome: 'changed' }, pin: { ...pin, pin: newPin, expired: false, history: [newPin, ...pin.history] } };
}

/** The real directory with the world's injected failures and PIN limit. */
export function worldDirectory(world: PathWorld, directory: DirectoryPort): DirectoryPort {
  const failure = (what: string) => Promise.reject(new Error(`injected directory failure: ${what}`));
  return {
    findConference: (conferenceId) => (conferenceId === WORLD.lookupFails ? failure('lookup') : directory.findConference(conferenceId)),
    verifyLeaderPin: (conferenceId, pin) => {
      if (conferenceId === WORLD.pinCheckFails) return failure('PIN check');
      if (world.oneKeyPin && pin === ONE_KEY_PIN) return Promise.resolve({ outcome: 'accepted', userId: WORLD.organizer, mustChange: true });
      return directory.verifyLeaderPin(conferenceId, pin);
    },
    changePin: (userId, newPin) => (newPin === WORLD.failingNewPin ? failure('PIN change') : directory.changePin(userId, newPin)),
    pinEntryLimits: () => ({ maxPinDigits: world.maxPinDigits }),
  };
}
