import type { ClaimedDelivery } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import { eventView } from '../../domain/event-view.js';
import { permanent, retry, success, type SendOutcome } from '../../domain/outcome.js';
import type { DestinationSpec } from '../../config/rules-types.js';
import { RulesInvalidError } from '../../errors.js';
import { isRelayEvent } from '../../relay-events/relay-event.js';
import type { MirrorCopy } from '../../relay-events/types/recording-mirror.js';
import { formatBytes } from '../../templates/format.js';
import type { Destination, DestinationDeps, RenderedMessage } from '../destination.js';
import { recordAndAnnounce } from './mirror-announce.js';
import { mirrorFile, type FileJob, type FileResult } from './mirror-file.js';
import { parseUnitKey, planFiles, unitKey, type FilePlan } from './mirror-key.js';
import { parseMirrorOptions, type MirrorOptions } from './mirror-options.js';
import { nextTry } from './mirror-schedule.js';
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
        ...(event.occurredAt ? { expires_at: eventView(event).expires_at } : {}),
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
    const expires = eventView(event).expires_at;
    const expiresAt = expires ? Date.parse(expires) : null;
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
        expiresAt: expiresAt !== null && Number.isFinite(expiresAt) ? expiresAt : null,
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

  private async settle(d: ClaimedDelivery, plan: FilePlan, plans: FilePlan[], result: FileResult, expires: string | null): Promise<SendOutcome> {
    const now = this.deps.clock.now();
    const base = { file_name: plan.fileName, source_url: plan.url, location: plan.location };
    let copy: MirrorCopy;
    let outcome: SendOutcome;
    if (result.kind === 'mirrored') {
      copy = { ...base, status: 'mirrored', size: result.size, sha256: result.sha256 };
      outcome = success(200, `${result.skipped ? 'already mirrored' : 'mirrored'}: ${plan.location} (${formatBytes(result.size)}, sha256 ${result.sha256})`);
    } else {
      let { code, error } = result;
      let reason = result.reason;
      let at: Date | null = null;
      if (result.retryable) {
        const next = nextTry({ scheduleMs: this.options.scheduleMs, attempts: d.attempts, now, expiresAt: copyExpiry(expires), ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) });
        if (next.kind === 'retry') at = next.at;
        else if (next.kind === 'expired') {
          error = `the next try (${next.at.toISOString()}) would come after the portal link expires (${expires}); last try: ${code}: ${error}`;
          code = 'expired';
          reason = 'expired';
        } else error = `gave up after ${d.attempts} tries: ${error}`;
      }
      copy = { ...base, status: at ? 'pending' : 'failed', size: null, sha256: null, reason: code, error };
      outcome = at
        ? retry(reason, `${code}: ${error}`, { at, ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}) })
        : permanent(reason, `${code}: ${error}`, result.statusCode);
    }
    try {
      await recordAndAnnounce(
        { destination: this.name, target: this.options.target.display, event: d.event, plans, index: plan.index, copy, expiresAt: expires, presignMs: this.options.presignMs },
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

function copyExpiry(expires: string | null): number | null {
  const t = expires ? Date.parse(expires) : NaN;
  return Number.isFinite(t) ? t : null;
}
