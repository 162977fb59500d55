/**
 * What the call flow asks of the PIN directory. The flow machines invoke
 * these as promise actors; the SQLite directory implements them at the edge,
 * and tests provide fakes. The directory reads time from its own injected
 * clock, so the flow never sees a wall clock.
 */
export interface ConferenceInfo {
  readonly id: string;
  /** User id of the organizer: the only user whose PIN starts this meeting. */
  readonly organizerId: string;
  /** Effective setting: the conference's override, else the tenant's. */
  readonly allowAnonymousStart: boolean;
}

export type PinVerification =
  /** The organizer's PIN, and the organizer is not locked. */
  | { readonly outcome: 'accepted'; readonly userId: string; readonly mustChange: boolean }
  /** Not the organizer's PIN; the failure has been counted against the organizer. */
  | { readonly outcome: 'rejected'; readonly userId: string; readonly lockedNow: boolean }
  /** The organizer is locked out; the entered PIN was not checked. */
  | { readonly outcome: 'locked'; readonly userId: string };

export type PinChange =
  | { readonly outcome: 'changed' }
  /** The new PIN breaks the policy; `rule` names the rule for logs, never the PIN. */
  | { readonly outcome: 'policy-rejected'; readonly rule: string };

export interface PinEntryLimits {
  /** Longest PIN the flow collects before verifying without waiting for '#'. */
  readonly maxPinDigits: number;
}

export interface DirectoryPort {
  findConference(conferenceId: string): Promise<ConferenceInfo | undefined>;
  verifyLeaderPin(conferenceId: string, pin: string): Promise<PinVerification>;
  changePin(userId: string, newPin: string): Promise<PinChange>;
  pinEntryLimits(): PinEntryLimits;
}
