import { expect } from 'chai';
import { expectDocumented } from './openapi-check.js';

export interface AdminAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export interface AdminClient {
  request(method: string, path: string, opts?: { body?: string | object; token?: string | null; headers?: Record<string, string> }): Promise<AdminAnswer>;
  /** Every answer's text (and decoded base64 fields), for a last scan. */
  answers: string[];
}

/**
 * Requests to a relay's admin API whose every answer is checked twice: it is one the OpenAPI
 * document describes, and it holds none of `secrets` (base64 fields decoded first).
 */
export function adminClient(baseUrl: () => string, token: string, secrets: Record<string, string>): AdminClient {
  const answers: string[] = [];
  return {
    answers,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const t = opts.token === undefined ? token : opts.token;
      if (t !== null) headers['authorization'] = `Bearer ${t}`;
      const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(`${baseUrl()}${path}`, { method, headers, body });
      const text = await res.text();
      const parsed = text ? JSON.parse(text) : undefined;
      expectDocumented(method, path, res.status, parsed);
      const decoded = base64Fields(parsed).map((b) => Buffer.from(b, 'base64').toString('utf8'));
      answers.push(text, ...decoded);
      for (const [name, secret] of Object.entries(secrets)) {
        expect(text, `${method} ${path} answer holds ${name}`).to.not.include(secret);
        for (const d of decoded) expect(d, `${method} ${path} base64 holds ${name}`).to.not.include(secret);
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
}

/** Base64 fields of an admin answer (`raw`, `rawBase64`), wherever they are. */
function base64Fields(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(base64Fields);
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => ((k === 'raw' || k === 'rawBase64') && typeof x === 'string' ? [x] : base64Fields(x)));
}
