import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Slack Web API double on 127.0.0.1 over real HTTP: the real client talks to it through
 * `slackApiUrl`. It keeps the messages, answers like Slack (`ok`, `ts`, `channel`, errors, 429
 * with Retry-After), and refuses what Slack refuses: too many blocks, too long texts, no text.
 */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: Record<string, unknown>[];
  thread_ts?: string;
  updates: number;
}

/** A one-off answer for the next call of a method: a platform error, a 429, or an HTTP status. */
export type ScriptedAnswer = { error: string } | { rateLimited: number } | { status: number };

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  private readonly scripts = new Map<string, ScriptedAnswer[]>();
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly tokens: Set<string>,
  ) {}

  static async start(opts: { tokens?: string[] } = {}): Promise<FakeSlack> {
    let fake!: FakeSlack;
    const server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}/api/`, new Set(opts.tokens ?? ['xoxb-test-token']));
    return fake;
  }

  /** Answer the next call of `method` with `answer` (queued: several calls, several answers). */
  script(method: string, ...answers: ScriptedAnswer[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...answers]);
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages in posting order; `thread_ts` set on replies. */
  posted(): StoredMessage[] {
    return [...this.messages.values()];
  }

  channelId(name: string): string {
    return name.startsWith('#') ? `C${name.slice(1).toUpperCase().replace(/[^A-Z0-9]/g, '')}` : name;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
    const args = parseArgs(Buffer.concat(chunks).toString('utf8'), String(req.headers['content-type'] ?? ''));
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : null;
    this.calls.push({ method, args, token });
    const scripted = this.scripts.get(method)?.shift();
    if (scripted && 'rateLimited' in scripted) return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(scripted.rateLimited) });
    if (scripted && 'status' in scripted) return send(res, scripted.status, { ok: false });
    if (scripted) return send(res, 200, { ok: false, error: scripted.error });
    if (!token || !this.tokens.has(token)) return send(res, 200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
    send(res, 200, this.answer(method, args));
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    if (method !== 'chat.postMessage' && method !== 'chat.update') return { ok: false, error: 'unknown_method' };
    const problem = slackLimitProblem(args);
    if (problem) return { ok: false, error: problem };
    const channel = this.channelId(String(args.channel ?? ''));
    const blocks = args.blocks as Record<string, unknown>[] | undefined;
    if (method === 'chat.update') {
      const msg = this.messages.get(String(args.ts));
      if (!msg || msg.channel !== channel) return { ok: false, error: msg ? 'channel_not_found' : 'message_not_found' };
      Object.assign(msg, { text: String(args.text), blocks, updates: msg.updates + 1 });
      return { ok: true, channel, ts: msg.ts, text: msg.text };
    }
    if (typeof args.thread_ts === 'string' && !this.messages.has(args.thread_ts)) return { ok: false, error: 'thread_not_found' };
    const ts = `1732700000.${String(++this.seq).padStart(6, '0')}`;
    const msg: StoredMessage = { channel, ts, text: String(args.text), updates: 0, ...(blocks ? { blocks } : {}), ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}) };
    this.messages.set(ts, msg);
    return { ok: true, channel, ts, message: { text: msg.text } };
  }
}

/** What Slack itself refuses (https://docs.slack.dev/reference/block-kit/blocks). */
export function slackLimitProblem(args: Record<string, unknown>): string | null {
  if (typeof args.text !== 'string' || args.text.trim() === '') return 'no_text';
  if (args.text.length > 40_000) return 'msg_too_long';
  if (args.blocks === undefined) return null;
  const blocks = args.blocks;
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks';
  for (const b of blocks as { type?: string; text?: { text?: string }; fields?: { text?: string }[]; elements?: unknown[] }[]) {
    const len = b.text?.text?.length ?? 0;
    if (b.type === 'header' && (len === 0 || len > 150)) return 'invalid_blocks';
    if (b.type === 'section' && (len > 3000 || (!b.text && !b.fields))) return 'invalid_blocks';
    if (b.type === 'section' && b.fields && (b.fields.length > 10 || b.fields.some((f) => (f.text?.length ?? 0) > 2000))) return 'invalid_blocks';
    if (b.type === 'context' && (!b.elements || b.elements.length === 0 || b.elements.length > 10)) return 'invalid_blocks';
    if (b.type === 'context' && b.elements?.some((e) => ((e as { text?: string }).text?.length ?? 0) > 3000)) return 'invalid_blocks';
  }
  return null;
}

function parseArgs(body: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    // The client sends nested values (blocks) as JSON strings inside the form.
    out[k] = k === 'blocks' || k === 'attachments' || k === 'metadata' ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
