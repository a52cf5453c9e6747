import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { Health } from '../api/types.js';
import { ago, count } from '../format.js';
import { usePoll } from '../hooks/use-poll.js';

/** Intake in the last minute, each destination's backlog (and its oldest) and dead count. Polled. */
export function HealthStrip() {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePoll(
    async () => {
      try {
        setHealth(await api<Health>('GET', '/health'));
        setError(null);
      } catch (err) {
        setError(err instanceof ApiError ? err.message : String(err));
      }
    },
    5000,
    [],
  );
  return (
    <section class="health" aria-label="Health">
      {error ? <span class="health-item health-bad">{error}</span> : null}
      {health ? (
        <>
          <span class="health-item">
            <span class="muted">Intake</span> <strong>{count(health.intake.received, health.intake.atLeast)}</strong> in the last minute
          </span>
          {health.destinations.map((d) => (
            <span key={d.destination} class={`health-item${d.dead > 0 ? ' health-bad' : d.unfinished > 0 ? ' health-warn' : ''}`} data-destination={d.destination}>
              <strong>{d.destination}</strong> <span class="muted">({d.kind})</span> {count(d.unfinished, d.unfinished >= health.cap)} waiting
              {d.oldestUnfinishedAt ? `, oldest ${ago(d.oldestUnfinishedAt)}` : ''} · {count(d.dead, d.dead >= health.cap)} dead
            </span>
          ))}
          {health.rules.lastReload === 'refused' ? (
            <a class="health-item health-bad" href="#/rules">
              last rules reload refused
            </a>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
