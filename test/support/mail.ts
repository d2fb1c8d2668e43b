import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  url: string;
  /** Every message the server accepted, parsed. */
  messages: ParsedMail[];
  /** Messages refused so far (temporary failures the test asked for). */
  refused: number;
  /** Refuse the next `n` messages with a temporary failure (451) after reading them. */
  refuseNext(n: number): void;
  close(): Promise<void>;
}

/** A real SMTP server in this process (smtp-server): accepts everything, or refuses on request. */
export async function startSmtp(): Promise<SmtpSink> {
  let toRefuse = 0;
  const sink: SmtpSink = {
    url: '',
    messages: [],
    refused: 0,
    refuseNext(n) {
      toRefuse = n;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          if (toRefuse > 0) {
            toRefuse--;
            sink.refused++;
            const error = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
            error.responseCode = 451;
            callback(error);
            return;
          }
          sink.messages.push(mail);
          callback(null);
        })
        .catch((error: Error) => callback(error));
    },
  });
  const port = await new Promise<number>((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      ok(typeof address === 'object' && address ? address.port : 0);
    });
  });
  sink.url = `smtp://127.0.0.1:${port}`;
  return sink;
}

/** The first absolute link in a text that starts with `base`. */
export function linkIn(text: string, base: string): string | undefined {
  return text.match(new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s>]*`))?.[0];
}
