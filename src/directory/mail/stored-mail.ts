/** A delivered message as a mailbox lists it. */
export interface StoredMail {
  /** Its name in the mailbox (the .eml file name, or a counter in memory). */
  readonly id: string;
  /** ms since the epoch (the Date header, to the second, for a file). */
  readonly at: number;
  /** The user it concerns, or null. */
  readonly userId: string | null;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}
