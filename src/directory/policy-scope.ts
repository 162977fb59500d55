/**
 * Where a PIN policy applies: everyone (the global policy), the users of a
 * site, or one user. As in Skype for Business Server, a site or user policy
 * is a whole policy, not a patch over the next scope: a user's effective
 * policy is the user's own, else the site's, else the global one, and every
 * value of it comes from that one policy. A new site or user policy starts
 * as a copy of the policy its users had until then, so setting one value
 * changes only that value.
 */
import type { PinPolicy } from './settings.ts';

export type PolicyScope =
  | { readonly kind: 'global' }
  | { readonly kind: 'site'; readonly site: string }
  | { readonly kind: 'user'; readonly userId: string };

/** A site or user scope: the ones stored apart from the global policy. */
export type NamedScope = Exclude<PolicyScope, { kind: 'global' }>;

export interface EffectivePolicy {
  readonly policy: PinPolicy;
  /** Whose policy it is. */
  readonly scope: PolicyScope;
}

export const GLOBAL_SCOPE: PolicyScope = { kind: 'global' };

/** Site names: like user ids, letters, digits and . _ - (at most 64). */
export const SITE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function scopeName(scope: NamedScope): string {
  return scope.kind === 'site' ? scope.site : scope.userId;
}

/** `global`, `site emea`, `user amos`. */
export function describeScope(scope: PolicyScope): string {
  return scope.kind === 'global' ? 'global' : `${scope.kind} ${scopeName(scope)}`;
}
