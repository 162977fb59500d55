/** The text of the directory's mails other than PIN mails (see pin-mail.ts for those). */
import type { MailText } from './mail-message.ts';

export function composeConferenceIdMail(userName: string, oldId: string, newId: string): MailText {
  return {
    subject: 'Your dial-in conference ID has changed',
    body: [
      `Hello ${userName},`,
      '',
      `Your meeting has a new dial-in conference ID: ${newId}`,
      `The old conference ID ${oldId} no longer works.`,
      '',
      'Give the new ID to the people you invite, and use it when you dial in.',
    ].join('\n'),
  };
}

export function composeSignInLinkMail(userName: string, url: string, validMinutes: number): MailText {
  return {
    subject: 'Your sign-in link for dial-in conferencing',
    body: [
      `Hello ${userName},`,
      '',
      'Use this link to sign in and manage your dial-in PIN:',
      url,
      '',
      `It works once, within ${validMinutes} minutes. If you did not ask for it, ignore this mail.`,
    ].join('\n'),
  };
}
