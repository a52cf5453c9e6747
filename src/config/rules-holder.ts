import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { systemClock } from '../domain/clock.js';
import { RulesInvalidError, type ErrorDetail } from '../errors.js';
import type { Logger } from '../logger.js';
import { loadRules, type RulesOptions } from './rules.js';
import type { Rules, RulesResult } from './rules-types.js';

export interface RulesHolderOptions extends RulesOptions {
  logger: Logger;
  /** Quiet time after the last file-system event before reloading: editors save in bursts. */
  debounceMs?: number;
}

export interface RulesStatus {
  file: string;
  hash: string;
  loadedAt: string;
  /** The last refused reload, until a later one succeeds. */
  lastError: { at: string; errors: ErrorDetail[] } | null;
  /** What the last reload (file watch, SIGHUP, admin API) came to; null before the first. */
  lastReload: ReloadResult | null;
}

export interface ReloadResult {
  at: string;
  /** applied: new rules in force; unchanged: the same rules; refused: the file failed its checks. */
  result: 'applied' | 'unchanged' | 'refused';
  hash: string | null;
  errors: ErrorDetail[];
  warnings: ErrorDetail[];
}

type ChangeListener = (rules: Rules, previous: Rules) => void;
type RejectListener = (errors: ErrorDetail[]) => void;

/**
 * The rules in force. A reload that fails its checks is refused and logged; the last good rules
 * stay (promise 3: bad rules never replace good rules).
 */
export class RulesHolder {
  private rules: Rules | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private lastError: RulesStatus['lastError'] = null;
  private lastReload: ReloadResult | null = null;
  private closed = false;
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly rejectListeners = new Set<RejectListener>();

  constructor(
    readonly file: string,
    private readonly opts: RulesHolderOptions,
  ) {}

  /** `new RulesHolder(file, opts)` then `load()`. */
  static async open(file: string, opts: RulesHolderOptions): Promise<RulesHolder> {
    const holder = new RulesHolder(file, opts);
    await holder.load();
    return holder;
  }

  /** The first load: a file that fails throws RulesInvalidError, as there is nothing to fall back on. */
  async load(): Promise<Rules> {
    const result = await loadRules(this.file, this.opts);
    if (!result.ok) {
      this.opts.logger.error({ file: this.file, errors: result.errors }, 'rules file refused');
      throw new RulesInvalidError(this.file, result.errors);
    }
    this.rules = result.rules;
    logLoaded(this.opts.logger, result);
    return result.rules;
  }

  current(): Rules {
    if (!this.rules) throw new Error('RulesHolder.load() has not succeeded yet');
    return this.rules;
  }

  status(): RulesStatus {
    const rules = this.current();
    return { file: this.file, hash: rules.hash, loadedAt: rules.loadedAt, lastError: this.lastError, lastReload: this.lastReload };
  }

  /** Called with the new rules after each reload that changed them. Returns an unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Called with the errors of each refused reload. */
  onReject(listener: RejectListener): () => void {
    this.rejectListeners.add(listener);
    return () => this.rejectListeners.delete(listener);
  }

  /** Reads the file again (SIGHUP, admin API, file watch). Reloads run one at a time. */
  reload(): Promise<RulesResult> {
    const next = this.queue.then(() => this.reloadNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Reloads when the file changes. The directory is watched, not the file: editors and config
   * managers often write a new file and rename it over the old one, which a watch on the old
   * file's inode would never see (Kubernetes swaps a `..data` symlink the same way).
   */
  watch(): void {
    if (this.watcher || this.closed) return;
    const name = basename(this.file);
    this.watcher = watch(dirname(this.file), { persistent: false }, (_event, changed) => {
      if (changed === null || changed === name || changed.startsWith('..')) this.schedule();
    });
    this.watcher.on('error', (err) => this.opts.logger.warn({ file: this.file, err: err.message }, 'rules file watch failed'));
  }

  /** Stops watching; a reload already running finishes but changes nothing. */
  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.reload();
    }, this.opts.debounceMs ?? 200);
    this.timer.unref();
  }

  private async reloadNow(): Promise<RulesResult> {
    const { logger } = this.opts;
    const result = await loadRules(this.file, this.opts);
    if (this.closed) return result;
    const at = (this.opts.clock ?? systemClock).now().toISOString();
    if (!result.ok) {
      this.lastError = { at, errors: result.errors };
      this.lastReload = { at, result: 'refused', hash: null, errors: result.errors, warnings: [] };
      logger.error({ file: this.file, errors: result.errors }, 'rules file refused: the last good rules stay in force');
      for (const listener of this.rejectListeners) this.call(() => listener(result.errors));
      return result;
    }
    this.lastError = null;
    const previous = this.current();
    // Same bytes and same substituted values: nothing changed (editors often save twice).
    if (result.rules.hash === previous.hash && sameList(result.rules.secrets, previous.secrets)) {
      this.lastReload = { at, result: 'unchanged', hash: previous.hash, errors: [], warnings: result.warnings };
      return { ok: true, rules: previous, warnings: result.warnings };
    }
    this.rules = result.rules;
    this.lastReload = { at, result: 'applied', hash: result.rules.hash, errors: [], warnings: result.warnings };
    // Listeners first: they hand the new secrets to the logger before anything else is logged.
    for (const listener of this.changeListeners) this.call(() => listener(result.rules, previous));
    logLoaded(logger, result);
    return result;
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.logger.error({ err: (err as Error).message }, 'rules listener failed');
    }
  }
}

function logLoaded(logger: Logger, result: Extract<RulesResult, { ok: true }>): void {
  const { rules } = result;
  logger.info({ file: rules.file, hash: rules.hash, destinations: rules.destinations.size, routes: rules.routes.length }, 'rules loaded');
  for (const w of result.warnings) logger.warn({ path: w.path }, `rules: ${w.message}`);
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
