import type { Category } from "#app/features/mail-prefs/categories.ts";

/** A rendered mail, ready to be written to the mail outbox. */
export interface MailMessage {
  to: string;
  /** The account it is for, when there is one. */
  userId?: number | null;
  /** What kind of mail ("verify-email", "reset-password", ...). */
  template: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers sent as they are (List-Unsubscribe, List-Unsubscribe-Post). */
  headers?: Record<string, string>;
  /**
   * The notification category a mail to a person belongs to, for mails a feature writes itself
   * (a routed question, kudos): `enqueueMail` then writes it only while that person has the
   * category on "immediately", and adds its one-click unsubscribe headers. Needs `userId`.
   */
  category?: Category;
}
