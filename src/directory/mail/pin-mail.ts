/** The text of the mail that carries a new PIN: the only place it is written (notice-mails.ts has the others). */
import type { MailText } from './mail-message.ts';

export type PinMailReason = 'set' | 'reset' | 'auto-reset';

export function composePinMail(userName: string, pin: string, reason: PinMailReason, mustChange: boolean): MailText {
  const why =
    reason === 'auto-reset'
      ? 'Your dial-in conferencing PIN was reset because of repeated failed attempts to use it.'
      : reason === 'reset'
        ? 'Your dial-in conferencing PIN has been reset by an administrator.'
        : 'A dial-in conferencing PIN has been set for you.';
  const lines = [
    `Hello ${userName},`,
    '',
    why,
    `Your new PIN is: ${pin}`,
    '',
    'Use it to start your meetings when you dial in.',
  ];
  if (mustChange) lines.push('You will be asked to choose a new PIN the next time you dial in.');
  return { subject: 'Your dial-in conferencing PIN', body: lines.join('\n') };
}
