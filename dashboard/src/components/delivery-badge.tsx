import type { Delivery } from '../api/types.js';
import { ago, formatTime } from '../format.js';

/** One delivery at a glance: destination and state, and what state means (next try, why dead). */
export function DeliveryBadge({ d }: { d: Delivery }) {
  let detail = '';
  if (d.status === 'pending') detail = d.nextAttemptAt && Date.parse(d.nextAttemptAt) > Date.now() ? `next ${ago(d.nextAttemptAt)}` : 'due now';
  if (d.status === 'dead') detail = d.reason ?? '';
  if (d.status === 'delivering') detail = `try ${d.attempts}`;
  const title = [d.destination, d.status, d.status === 'pending' && d.nextAttemptAt ? `next attempt ${formatTime(d.nextAttemptAt)}` : '', d.lastError ?? ''].filter(Boolean).join(' · ');
  return (
    <span class={`badge badge-${d.status}`} title={title} data-status={d.status}>
      <span class="badge-dest">{d.destination}</span> <span class="badge-status">{d.status}</span>
      {detail ? <span class="badge-detail"> · {detail}</span> : null}
    </span>
  );
}

export function DeliveryBadges({ deliveries }: { deliveries: Delivery[] }) {
  if (deliveries.length === 0) return <span class="muted">unrouted</span>;
  return (
    <span class="badges">
      {deliveries.map((d) => (
        <DeliveryBadge key={d.id} d={d} />
      ))}
    </span>
  );
}
