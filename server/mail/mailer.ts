import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/database';

/** `grantsRole`: the role an invitation email hands out; only members who may grant it see the email in the outbox. */
export type OutgoingMail = { tenantId: string | null; to: string; subject: string; text: string; kind: string; grantsRole?: string };
export type Mailer = { send(mail: OutgoingMail): Promise<{ id: string; status: 'sent' | 'outbox' | 'failed' }>; close(): void };

/**
 * Every message is recorded in the outbox table. With SMTP_URL it is also handed to the SMTP server and marked sent
 * (or failed with the server's answer); without, it stays in the in-app outbox where admins can read it.
 */
export function createMailer(db: Db, smtpUrl: string | undefined, from = 'DSO Manager <no-reply@localhost>'): Mailer {
  const transport: Transporter | undefined = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  return {
    async send(mail) {
      const id = randomUUID();
      const createdAt = new Date().toISOString();
      await db
        .insertInto('outbox')
        .values({
          id,
          tenant_id: mail.tenantId,
          to_address: mail.to,
          subject: mail.subject,
          body_text: mail.text,
          kind: mail.kind,
          status: transport ? 'sending' : 'outbox',
          error: null,
          created_at: createdAt,
          sent_at: null,
          grants_role: mail.grantsRole ?? null,
        })
        .execute();
      if (!transport) return { id, status: 'outbox' };
      try {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
        await db.updateTable('outbox').set({ status: 'sent', sent_at: new Date().toISOString() }).where('id', '=', id).execute();
        return { id, status: 'sent' };
      } catch (err) {
        await db.updateTable('outbox').set({ status: 'failed', error: String((err as Error).message).slice(0, 500) }).where('id', '=', id).execute();
        return { id, status: 'failed' };
      }
    },
    close() {
      transport?.close();
    },
  };
}
