import nodemailer from 'nodemailer';

import type { Mailer } from '../deps';

/**
 * The longest one attempt may take (connect, greeting, then each socket wait): less than the aviso
 * lease (at least 90 s), so no other worker takes the aviso over while this one may still send it.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 45_000 };

/** Email avisos through the SMTP server of PUENTE_SMTP_URL (nodemailer; Node only). */
export function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        headers: mail.headers,
      });
      if (info.rejected.length > 0) throw new Error(`recipient refused: ${info.response}`);
      return { response: info.response };
    },
  };
}
