import { api } from '../api/client.js';
import type { EventDetail } from '../api/types.js';
import { ConfirmAction } from '../components/confirm-action.js';
import { DeliveryBadge } from '../components/delivery-badge.js';
import { TimeText } from '../components/time-text.js';
import { duration } from '../format.js';

type D = EventDetail['deliveries'][number];

/** One delivery: where it stands, every attempt (time, duration, status code, error), Replay. */
export function DeliveryCard({ d, onReplayed }: { d: D; onReplayed: () => Promise<void> }) {
  return (
    <section class="card delivery" aria-label={`Delivery to ${d.destination}`} data-delivery={d.id}>
      <h3>
        <DeliveryBadge d={d} />
      </h3>
      <dl class="pairs">
        <dt>Route</dt>
        <dd>{d.route ?? 'fallback'}</dd>
        <dt>Attempts</dt>
        <dd>{d.attempts}</dd>
        {d.replays > 0 ? (
          <>
            <dt>Replayed after delivery</dt>
            <dd>{d.replays === 1 ? 'once' : `${d.replays} times`}</dd>
          </>
        ) : null}
        {d.status === 'pending' ? (
          <>
            <dt>Next attempt</dt>
            <dd>
              <TimeText iso={d.nextAttemptAt} exact />
            </dd>
          </>
        ) : null}
        {d.lastError ? (
          <>
            <dt>Last error</dt>
            <dd class="wrap">{d.lastError}</dd>
          </>
        ) : null}
      </dl>
      {d.attemptLog.length ? (
        <ol class="timeline" aria-label={`Attempts to ${d.destination}`}>
          {d.attemptLog.map((a, i) => (
            <li key={i} class={`attempt attempt-${a.outcome}`}>
              <span class="attempt-head">
                #{a.attempt} <TimeText iso={a.startedAt} exact /> · {duration(a.durationMs)} · <strong>{a.outcome}</strong>
                {a.statusCode !== null ? ` · status ${a.statusCode}` : ''}
              </span>
              {a.error ? <span class="attempt-error wrap">{a.error}</span> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">No attempt yet.</p>
      )}
      <ConfirmAction
        label="Replay"
        disabled={d.status === 'delivering'}
        ask={async () => ({ question: `Send to ${d.destination} again now${d.status === 'delivered' ? ' (it was delivered: this sends it as a new message)' : ''}?` })}
        act={async () => {
          const r = await api<{ replayed: number }>('POST', '/replay', { json: { deliveryIds: [d.id] } });
          await onReplayed();
          return r.replayed === 1 ? 'Replayed: due now.' : 'Nothing replayed (it is being delivered right now).';
        }}
      />
    </section>
  );
}
