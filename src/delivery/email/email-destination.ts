import type { Transporter } from 'nodemailer';
import type { ClaimedDelivery } from '../../domain/delivery.js';
import { messageId as messageIdFor } from '../../domain/message-id.js';
import { hasSession, sessionKey, type RelayEvent } from '../../domain/event.js';
import { permanent, success, type SendOutcome } from '../../domain/outcome.js';
import type { Destination, DestinationDeps, RenderedMessage } from '../destination.js';
import type { MailContent } from './build-mail.js';
import { classifySmtpError } from './classify-smtp-error.js';
import type { EmailOptions } from './email-options.js';
import { renderMail } from './render-mail.js';

export const DEFAULT_MAIL_FROM = 'enx-relay <enx-relay@localhost>';

/**
 * Stable across retries, so a receiving server or client can drop a repeat (Gmail drops a mail
 * whose Message-ID it has): a replay of a delivered mail gets a new one (domain/message-id.ts).
 */
export const messageIdOf = (id: string): string => `<${id}@enx-relay>`;

export class EmailDestination implements Destination {
  readonly kind = 'email';
  /** Nodemailer is loaded with the first mail: a relay without email destinations never pays for it. */
  private transport: Promise<Transporter> | null = null;

  constructor(
    readonly name: string,
    private readonly opts: EmailOptions,
    private readonly deps: DestinationDeps,
  ) {}

  /** The session's first mail goes first, so that later ones can name it in `In-Reply-To`. */
  orderKey(event: RelayEvent): string | null {
    return hasSession(event) ? this.threadKey(event) : null;
  }

  async render(event: RelayEvent): Promise<RenderedMessage> {
    const mail = await renderMail(this.opts, event);
    return { target: this.recipients(), summary: mail.subject, payload: { from: this.from(), to: this.opts.to, cc: this.opts.cc, ...mail } };
  }

  async send(delivery: ClaimedDelivery, signal: AbortSignal): Promise<SendOutcome> {
    const smtpUrl = this.deps.settings.smtpUrl;
    if (!smtpUrl) return permanent('config', `smtp_not_configured: destination "${this.name}" needs RELAY_SMTP_URL`);
    let mail: MailContent;
    try {
      mail = await renderMail(this.opts, delivery.event);
    } catch (err) {
      return permanent('render', `render_failed: ${(err as Error).message}`);
    }
    try {
      signal.throwIfAborted();
      const messageId = messageIdOf(messageIdFor(delivery));
      // The first mail of a session is the thread's root; a retry of it finds its own id there, and
      // a replay of it after delivery (a new Message-ID) replies to it.
      const root = hasSession(delivery.event) ? await this.deps.store.putStateIfAbsent(this.threadKey(delivery.event), messageId) : messageId;
      const info = await (await this.smtp(smtpUrl)).sendMail({
        from: this.from(),
        to: this.opts.to,
        ...(this.opts.cc.length > 0 ? { cc: this.opts.cc } : {}),
        ...mail,
        messageId,
        ...(root !== messageId ? { inReplyTo: root, references: [root] } : {}),
        // RFC 3834: out-of-office robots must not answer a notification.
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Enx-Relay-Event': delivery.event.id },
      });
      return success(250, `accepted for ${(info.accepted ?? []).length} recipient(s)`);
    } catch (err) {
      return classifySmtpError(err);
    }
  }

  async close(): Promise<void> {
    const transport = this.transport;
    this.transport = null;
    if (transport) (await transport.catch(() => null))?.close();
    this.transport = null;
  }

  private threadKey(event: RelayEvent): string {
    return `email:${this.name}:${sessionKey(event)}`;
  }

  private smtp(url: string): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ createTransport }) => createTransport({
      url,
      pool: true,
      maxConnections: 2,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // Nodemailer logs nothing unless asked; its errors reach us through sendMail.
      logger: false,
    }));
    return this.transport;
  }

  private from(): string {
    return this.deps.settings.mailFrom ?? DEFAULT_MAIL_FROM;
  }

  private recipients(): string {
    return `to: ${this.opts.to.join(', ')}${this.opts.cc.length > 0 ? `; cc: ${this.opts.cc.join(', ')}` : ''}`;
  }
}
