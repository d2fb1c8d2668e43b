import nodemailer from 'nodemailer';

import type { Mailer } from '../deps';

/** Email avisos through the SMTP server of PUENTE_SMTP_URL (nodemailer; Node only). */
export function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport(url);
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
