import type { RenderedMessage } from '../api/types.js';
import { JsonBlock } from './json-block.js';
import { SlackPreview } from './slack-preview.js';

type Mail = { from?: string; to?: string[]; cc?: string[]; subject?: string; text?: string; html?: string };
type Http = { headers?: Record<string, string>; body?: unknown };

/** What a destination would send, shown the way its kind reads: Slack laid out, the mail, the HTTP request. */
export function MessagePreview({ kind, message }: { kind: string | undefined; message: RenderedMessage }) {
  const p = message.payload;
  const k = kind ?? (typeof p === 'string' ? 'log' : p && typeof p === 'object' && 'channel' in p ? 'slack' : p && typeof p === 'object' && 'subject' in p ? 'email' : 'http');
  if (k === 'slack') return <SlackPreview payload={p as Parameters<typeof SlackPreview>[0]['payload']} />;
  if (k === 'email') {
    const m = p as Mail;
    return (
      <div class="mail">
        <dl class="pairs">
          <dt>From</dt>
          <dd>{m.from}</dd>
          <dt>To</dt>
          <dd>{(m.to ?? []).join(', ')}</dd>
          {m.cc?.length ? (
            <>
              <dt>Cc</dt>
              <dd>{m.cc.join(', ')}</dd>
            </>
          ) : null}
          <dt>Subject</dt>
          <dd class="mail-subject">{m.subject}</dd>
        </dl>
        {m.text !== undefined ? <pre class="code mail-body">{m.text}</pre> : null}
        {m.html !== undefined ? (
          <details>
            <summary>HTML part (source)</summary>
            <pre class="code">{m.html}</pre>
          </details>
        ) : null}
      </div>
    );
  }
  if (k === 'http') {
    const h = p as Http;
    return (
      <div class="http">
        <p>
          <code>{message.target}</code>
        </p>
        <table class="compact">
          <caption class="sr-only">Request headers</caption>
          <tbody>
            {Object.entries(h.headers ?? {}).map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>
                  <code>{value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {typeof h.body === 'string' ? <pre class="code">{h.body}</pre> : <JsonBlock value={h.body} label="Request body" />}
      </div>
    );
  }
  return <pre class="code">{typeof p === 'string' ? p : JSON.stringify(p, null, 2)}</pre>;
}
