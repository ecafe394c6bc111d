/**
 * The outbox: the mails the real service would send (password-reset codes, verification codes, notices),
 * kept so tests can read the codes. Kept in memory only and bounded to the newest MAX_MESSAGES.
 *
 * A temporary password set by an admin is never put in a mail: DPoD hands it to the admin, and only tells the
 * user that their password was reset (docs/dpod-api-notes.md#account-flows, S5/S6).
 */
import { randomUUID } from "node:crypto";

export type MailKind =
  "forgot-password" | "verification" | "password-reset" | "mfa-reset" | "password-changed";

export interface MailMessage {
  id: string;
  to: string;
  kind: MailKind;
  /** The one-time code, for forgot-password and verification mails. */
  code?: string;
  /** RFC 3339 time on the emulator clock. */
  at: string;
}

export const MAX_MESSAGES = 1_000;

export class Outbox {
  private messages: MailMessage[] = [];

  send(to: string, kind: MailKind, at: string, code?: string): MailMessage {
    const message: MailMessage = { id: randomUUID(), to, kind, at };
    if (code !== undefined) message.code = code;
    this.messages.push(message);
    if (this.messages.length > MAX_MESSAGES) this.messages.shift();
    return message;
  }

  list(): MailMessage[] {
    return [...this.messages];
  }

  clear(): void {
    this.messages = [];
  }
}
