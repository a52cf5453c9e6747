import type { ClaimedDelivery } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import { eventView } from '../../domain/event-view.js';
import { permanent, retry, success, type SendOutcome } from '../../domain/outcome.js';
import type { DestinationSpec } from '../../config/rules-types.js';
import { RulesInvalidError } from '../../errors.js';
import { isRelayEvent } from '../../relay-events/relay-event.js';
import type { Destination, DestinationDeps, RenderedMessage } from '../destination.js';
import { recordAndAnnounce } from './mirror-announce.js';
import { mirrorFile, type FileJob, type FileResult } from './mirror-file.js';
import { parseUnitKey, planFiles, unitKey, type FilePlan } from './mirror-key.js';
import { parseMirrorOptions, type MirrorOptions } from './mirror-options.js';
import { fileOutcome } from './file-outcome.js';
import { openMirrorStore } from './open-mirror-store.js';
import type { MirrorStore } from './mirror-store.js';

/**
 * `mirror:` copies each file of an event (`recording`, `transcoded`) from the portal to
 * S3-compatible storage or a directory. Each file is its own delivery (its unit key names it),
 * with its own attempts on the destination's own schedule, and ends mirrored, or dead with its
 * reason; when every file is mirrored, or one has ended dead, the relay event that says so is
 * published (mirror-announce.ts).
 */
export class MirrorDestination implements Destination {
  readonly kind = 'mirror';
  readonly name: string;
  readonly options: MirrorOptions;
  /** One try of one file runs up to max_transfer (its stall timeout cuts it sooner); this is the worker's backstop above it. */
  readonly maxSendMs: number;
  private store: MirrorStore | null = null;

  constructor(
    spec: DestinationSpec,
    private readonly deps: DestinationDeps,
  ) {
    const { options, problems } = parseMirrorOptions(spec.options);
    if (!options) throw new RulesInvalidError(spec.pos.file, problems.map((p) => ({ message: `${spec.name}.${p.option.join('.')}: ${p.message}` })));
    this.name = spec.name;
    this.options = options;
    this.maxSendMs = options.maxTransferMs + 2 * options.stallTimeoutMs + 60_000;
  }

  /** One delivery per file; an event without files (or a relay event) gets one that does nothing. */
  units(event: RelayEvent): string[] {
    if (isRelayEvent(event)) return [];
    return this.plans(event).map((p) => unitKey(this.name, p));
  }

  orderKey(): string | null {
    return null;
  }

  async render(event: RelayEvent): Promise<RenderedMessage> {
    const plans = isRelayEvent(event) ? [] : this.plans(event);
    const o = this.options;
    return {
      target: `mirror to ${o.target.display}`,
      summary: plans.length === 0 ? 'no files to mirror' : `${plans.length} file${plans.length === 1 ? '' : 's'} to ${o.target.display}`,
      payload: {
        files: plans.map((p) => ({ source: p.url, key: p.key, location: p.location, ...(p.problem ? { problem: p.problem } : {}) })),
        source_auth: { username: o.sourceAuth.username, password: '[redacted]' },
        ...(o.presignMs !== null ? { presign_seconds: o.presignMs / 1000 } : {}),
        retry_schedule_seconds: o.scheduleMs.map((ms) => ms / 1000),
        expires_at: eventView(event).expires_at,
      },
    };
  }

  async send(d: ClaimedDelivery, signal: AbortSignal): Promise<SendOutcome> {
    const event = d.event;
    if (isRelayEvent(event)) return success(200, 'relay events carry no files to mirror');
    const unit = parseUnitKey(d.orderKey);
    if (!unit) {
      if (event.files.length === 0) return success(200, 'the event has no files to mirror');
      return permanent('config', `mirror_unit: delivery ${d.id} names no file of its event`);
    }
    const plans = this.plans(event);
    const plan = plans[unit.index];
    if (!plan) return permanent('config', `mirror_unit: the event has no file ${unit.index + 1}`);
    const expires = expiryOf(event);
    let result: FileResult;
    if (!unit.location) {
      result = { kind: 'failed', retryable: false, code: 'bad_key', reason: 'config', error: `no key for ${plan.fileName}: ${plan.problem ?? 'the key template failed'}` };
    } else {
      // The unit key holds the place chosen when the event arrived, even if the key template changed since.
      const job: FileJob = {
        deliveryId: d.id,
        destination: this.name,
        event,
        index: unit.index,
        url: plan.url,
        location: unit.location,
        fileName: plan.fileName,
        expiresAt: expires.ms,
        ...(event.fileSize !== undefined && event.files.length === 1 ? { expectedSize: event.fileSize } : {}),
      };
      result = await mirrorFile(job, { options: this.options, target: this.mirrorStore(), state: this.deps.store, clock: this.deps.clock, signal });
      // Shut down or cut off by the worker: nothing to record, the worker decides what comes next.
      if (signal.aborted) return retry('network', 'mirror_aborted: the transfer was interrupted');
    }
    return this.settle(d, { ...plan, location: unit.location || null }, plans, result, expires);
  }

  async close(): Promise<void> {
    this.store?.close();
    this.store = null;
  }

  /** Records how the file stands, announces what is due, and tells the worker what comes next. */
  private async settle(d: ClaimedDelivery, plan: FilePlan, plans: FilePlan[], result: FileResult, expires: { iso: string | null; ms: number | null }): Promise<SendOutcome> {
    const now = this.deps.clock.now();
    const { copy, outcome } = fileOutcome(d, plan, result, { scheduleMs: this.options.scheduleMs, now, expiresAt: expires.ms });
    try {
      await recordAndAnnounce(
        { destination: this.name, target: this.options.target.display, event: d.event, plans, index: plan.index, copy, expiresAt: expires.iso, presignMs: this.options.presignMs },
        { store: this.deps.store, ...(this.deps.relayEvents ? { relayEvents: this.deps.relayEvents } : {}), target: this.mirrorStore(), logger: this.deps.logger, now },
      );
    } catch (err) {
      // The file's fate is known but not yet told: try again soon; the copy is not made twice.
      const soon = new Date(now.getTime() + Math.min(this.options.scheduleMs[0] ?? 60_000, 60_000));
      return retry('server', `mirror_announce: ${copy.status === 'mirrored' ? 'copied' : 'settled'}, but the outcome could not be recorded: ${(err as Error).message}`, { at: soon });
    }
    return outcome;
  }

  private plans(event: RelayEvent): FilePlan[] {
    return planFiles(this.options.key, this.options.target, event);
  }

  private mirrorStore(): MirrorStore {
    this.store ??= openMirrorStore(this.options, this.deps);
    return this.store;
  }
}

/** When the event's portal links stop working (`expires_at`), if it says. */
function expiryOf(event: RelayEvent): { iso: string | null; ms: number | null } {
  const iso = eventView(event).expires_at;
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? { iso, ms } : { iso: null, ms: null };
}
