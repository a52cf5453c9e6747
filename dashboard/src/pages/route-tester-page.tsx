import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { RouteTest, RulesStatus } from '../api/types.js';
import { ErrorNote } from '../components/error-note.js';
import { MessagePreview } from '../components/message-preview.js';

/**
 * Paste an event or start from an example: which routes match, which destinations it reaches
 * and what each would send, by the rules in force. Nothing is sent or stored. The result can be
 * kept as a routing test case (`enx-relay test`).
 */
export function RouteTesterPage() {
  const [examples, setExamples] = useState<{ type: string; body: unknown }[]>([]);
  const [kinds, setKinds] = useState<Record<string, string>>({});
  const [text, setText] = useState('');
  const [result, setResult] = useState<RouteTest | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState('');

  useEffect(() => {
    void (async () => {
      try {
        const [ex, rules] = await Promise.all([api<{ examples: { type: string; body: unknown }[] }>('GET', '/examples'), api<RulesStatus>('GET', '/rules')]);
        setExamples(ex.examples);
        setKinds(Object.fromEntries(rules.destinations.map((d) => [d.name, d.kind])));
      } catch (err) {
        setError(err);
      }
    })();
  }, []);

  const test = async (e?: Event): Promise<void> => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    setCopied('');
    try {
      setResult(await api<RouteTest>('POST', '/route-test', { text }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  // One object URL per result, let go when the next replaces it.
  const download = useMemo(() => (result ? URL.createObjectURL(new Blob([result.testCase], { type: 'application/yaml' })) : null), [result]);
  useEffect(() => () => void (download && URL.revokeObjectURL(download)), [download]);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(result!.testCase);
      setCopied('Copied.');
    } catch {
      setCopied('The browser refused the clipboard: select the text and copy it.');
    }
  };

  return (
    <>
      <h1>Route tester</h1>
      <form onSubmit={test} class="tester">
        <p class="examples">
          <span id="examples-label">Start from an example:</span>{' '}
          {examples.map((x) => (
            <button key={x.type} type="button" aria-describedby="examples-label" onClick={() => setText(JSON.stringify(x.body, null, 2))}>
              {x.type}
            </button>
          ))}
        </p>
        <label for="event-text">Event (the JSON EnableX would post)</label>
        <textarea id="event-text" rows={12} spellcheck={false} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        <p>
          <button type="submit" class="primary" disabled={busy || text.trim() === ''}>
            {busy ? 'Routing…' : 'Route it'}
          </button>{' '}
          <span class="muted">Nothing is sent or stored.</span>
        </p>
      </form>
      <ErrorNote error={error} title="Not routed" />
      {result ? (
        <section aria-label="Result" aria-live="polite">
          <h2>Matched routes</h2>
          {result.matched.length ? (
            <ul>
              {result.matched.map((m) => (
                <li key={m.route}>
                  <strong>{m.route}</strong> → {m.destinations.join(', ')}
                </li>
              ))}
            </ul>
          ) : (
            <p>No route matched{result.deliveries.length ? ': the fallback takes it.' : ' and there is no fallback: the event would be kept as unrouted.'}</p>
          )}
          <h2>What each destination would send</h2>
          {result.deliveries.map((d) => (
            <section key={d.destination} class="card preview" aria-label={`Preview for ${d.destination}`} data-destination={d.destination}>
              <h3>
                {d.destination} <span class="muted">({kinds[d.destination] ?? 'destination'}, via {d.route ?? 'fallback'})</span>
              </h3>
              {d.message ? (
                <>
                  <p class="muted">
                    {d.message.target} · {d.message.summary}
                  </p>
                  <MessagePreview kind={kinds[d.destination]} message={d.message} />
                </>
              ) : (
                <p class="note note-error">Render failed: {d.error}</p>
              )}
            </section>
          ))}
          <h2>Save as a routing test case</h2>
          <p>
            For <code>enx-relay test cases.yaml</code> (or the <code>tests:</code> file your rules name): it fails once a rules change sends this event elsewhere.
          </p>
          <label for="test-case">Test case (YAML)</label>
          <textarea id="test-case" readOnly rows={10} spellcheck={false} value={result.testCase} />
          <p>
            <button type="button" onClick={copy}>
              Copy
            </button>{' '}
            <a class="button" download="route-test.yaml" href={download ?? undefined}>
              Download
            </a>{' '}
            <span role="status">{copied}</span>
          </p>
        </section>
      ) : null}
    </>
  );
}
