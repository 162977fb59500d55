/**
 * The answer the Set PIN and Reset PIN forms show while a PIN is typed: the
 * directory's verdict (the first rule broken, or 'ok') in the words of
 * pin-policy.ts, with the numbers of the user's effective policy.
 */
import { describeViolation, PIN_RULES, type PinRule } from '../../directory/pin-policy.ts';
import type { PinPolicy } from '../../directory/settings.ts';

export type PinCheck = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly rule: string; readonly text: string };

export function pinCheckAnswer(verdict: string, policy: PinPolicy): PinCheck {
  if (!(PIN_RULES as readonly string[]).includes(verdict)) return { ok: true, text: 'The PIN meets the policy.' };
  const reason = describeViolation(verdict as PinRule, { minLength: policy.minLength, allowCommonPatterns: policy.allowCommonPatterns }, policy.historyCount);
  return { ok: false, rule: verdict, text: `${reason[0]!.toUpperCase()}${reason.slice(1)}.` };
}
