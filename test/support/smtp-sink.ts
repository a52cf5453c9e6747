import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 that keeps every mail it accepts, parsed by mailparser, and can
 * be scripted to refuse the next ones with a given reply (4xx greylisting, 5xx rejection).
 */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export type SmtpStage = 'mail' | 'rcpt' | 'data';

export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** Authenticated users, in order. */
  readonly logins: string[] = [];
  private readonly scripted: { stage: SmtpStage; code: number; message: string }[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(opts: { user?: string; password?: string } = {}): Promise<SmtpSink> {
    let sink!: SmtpSink;
    const server = new SMTPServer({
      // Plain SMTP on loopback: no STARTTLS, whose built-in certificate the client would refuse.
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      // A client's pooled connection must not hold close() for long.
      closeTimeout: 200,
      onAuth(auth, _session, cb) {
        if (opts.user && (auth.username !== opts.user || auth.password !== opts.password)) return cb(withCode(new Error('Invalid login'), 535));
        sink.logins.push(auth.username ?? '');
        cb(null, { user: auth.username });
      },
      onMailFrom(_address, _session, cb) {
        cb(sink.take('mail'));
      },
      onRcptTo(_address, _session, cb) {
        cb(sink.take('rcpt'));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const refused = sink.take('data');
          if (refused) return cb(refused);
          const raw = Buffer.concat(chunks);
          // Parsed before the 250 goes out, so a mail is here by the time sendMail resolves.
          simpleParser(raw).then(
            (parsed) => {
              const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
              sink.mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
              cb(null);
            },
            (err: Error) => cb(err),
          );
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink = new SmtpSink(server, (server.server.address() as AddressInfo).port);
    return sink;
  }

  /** `smtp://user:pass@127.0.0.1:port` (credentials only when given). */
  url(auth?: { user: string; password: string }): string {
    const cred = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@` : '';
    return `smtp://${cred}127.0.0.1:${this.port}`;
  }

  /** Refuse the next command of `stage` with this reply, e.g. `fail('rcpt', 450, 'mailbox busy')`. */
  fail(stage: SmtpStage, code: number, message: string): void {
    this.scripted.push({ stage, code, message });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private take(stage: SmtpStage): Error | null {
    const i = this.scripted.findIndex((s) => s.stage === stage);
    if (i < 0) return null;
    const [s] = this.scripted.splice(i, 1);
    return withCode(new Error(s!.message), s!.code);
  }
}

function withCode(err: Error, code: number): Error {
  return Object.assign(err, { responseCode: code });
}
