import { api } from '../api/client.js';
import type { DeadLetterGroup } from '../api/types.js';
import { ConfirmAction } from '../components/confirm-action.js';
import { TimeText } from '../components/time-text.js';
import { plural } from '../format.js';

/** What the dead deliveries below are filtered by. */
export interface Filter {
  destination: string;
  reason: string;
}

export const replayCount = async (body: Record<string, unknown>): Promise<number> => (await api<{ replayed: number }>('POST', '/replay', { json: { ...body, dryRun: true } })).replayed;
export const replay = async (body: Record<string, unknown>): Promise<string> => `Replayed ${plural((await api<{ replayed: number }>('POST', '/replay', { json: body })).replayed, 'delivery', 'deliveries')}.`;

/** Dead deliveries by destination and reason: Show lists a group below, Replay all replays it after counting. */
export function DeadGroups({ groups, onShow, onReplayed }: { groups: DeadLetterGroup[]; onShow: (f: Filter) => void; onReplayed: (text: string) => Promise<void> }) {
  return (
      <div class="table-wrap">
        <table class="groups stack">
          <caption class="sr-only">Dead deliveries by destination and reason</caption>
          <thead>
            <tr>
              <th scope="col">Destination</th>
              <th scope="col">Reason</th>
              <th scope="col">Count</th>
              <th scope="col">Events received</th>
              <th scope="col">Example error</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={`${g.destination}/${g.reason}`} data-group={`${g.destination}/${g.reason}`}>
                <td data-label="Destination">{g.destination}</td>
                <td data-label="Reason">{g.reason}</td>
                <td data-label="Count">{g.count.toLocaleString()}</td>
                <td data-label="Events received">
                  <TimeText iso={g.oldestAt} /> to <TimeText iso={g.newestAt} />
                </td>
                <td data-label="Example error" class="wrap">{g.sampleError}</td>
                <td data-label="Actions" class="actions">
                  <button type="button" onClick={() => onShow({ destination: g.destination, reason: g.reason })}>
                    Show
                  </button>{' '}
                  <ConfirmAction
                    label="Replay all"
                    danger
                    ask={async () => {
                      const n = await replayCount({ status: 'dead', destination: g.destination, reason: g.reason });
                      return n === 0 ? { question: 'Nothing to replay any more.', nothing: true } : { question: `Replay ${plural(n, 'dead delivery', 'dead deliveries')} to ${g.destination} (${g.reason})?` };
                    }}
                    act={async () => {
                      const text = await replay({ status: 'dead', destination: g.destination, reason: g.reason });
                      await onReplayed(text);
                      return text;
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
  );
}
