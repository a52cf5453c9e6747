import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWriter, SerializedError, ToWriter } from './writer-protocol.js';

/** What a store's writer hears from the thread about its handle. */
export interface HandleListener {
  /** The thread is up and the handle's database is open (again, after a restart). */
  onOpened(error?: SerializedError): void;
  onDone(m: FromWriter & { kind: 'done' }): void;
  /** The durable part of a batch has committed: the results of its durable ops. */
  onEarly(m: FromWriter & { kind: 'early' }): void;
  onClosed(): void;
  /** The thread died: whatever was in flight is lost; a new thread reopens the handle. */
  onThreadLost(): void;
  /** The database the handle stands for, opened again by a new thread. */
  readonly database: { path: string; busyTimeoutMs?: number };
}

/**
 * The process's one SQLite writer thread, shared by every store it opens, started on first use.
 * It keeps the process alive only while some handle has work in flight. If it dies, it is started
 * again and every open handle reopened.
 */
class WriterHost {
  private worker: Worker | null = null;
  /** The timer that starts a thread again after one died. */
  private restart: NodeJS.Timeout | null = null;
  private readonly handles = new Map<number, HandleListener>();
  private readonly busy = new Set<number>();
  private nextHandle = 1;
  private restarts = 0;

  register(listener: HandleListener): number {
    const handle = this.nextHandle++;
    this.handles.set(handle, listener);
    if (this.worker) this.worker.postMessage(openMessage(handle, listener));
    else this.spawn();
    return handle;
  }

  post(m: ToWriter): void {
    this.worker?.postMessage(m);
  }

  /** A handle has work in flight (true) or none (false): the thread is ref'd while any has. */
  setBusy(handle: number, busy: boolean): void {
    if (busy) this.busy.add(handle);
    else this.busy.delete(handle);
    // Writes waiting for a thread keep the process alive, as the thread itself does.
    if (this.busy.size > 0) {
      this.worker?.ref();
      this.restart?.ref();
    } else {
      this.worker?.unref();
      this.restart?.unref();
    }
  }

  unregister(handle: number): void {
    this.handles.delete(handle);
    this.setBusy(handle, false);
  }

  private spawn(): void {
    const w = newWriterThread();
    this.worker = w;
    if (this.busy.size === 0) w.unref();
    w.on('message', (m: FromWriter) => {
      const h = this.handles.get(m.handle);
      if (!h) return;
      if (m.kind === 'opened') {
        this.restarts = 0;
        h.onOpened(m.error);
      } else if (m.kind === 'done') h.onDone(m);
      else if (m.kind === 'early') h.onEarly(m);
      else h.onClosed();
    });
    // The 'exit' that follows does the recovery; an 'error' without a listener would crash.
    w.on('error', () => {});
    w.on('exit', () => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const h of this.handles.values()) h.onThreadLost();
      if (this.handles.size === 0) return;
      this.restart = setTimeout(() => {
        this.restart = null;
        if (!this.worker && this.handles.size > 0) this.spawn();
      }, Math.min(5000, 50 * 2 ** this.restarts++));
      if (this.busy.size === 0) this.restart.unref();
    });
    for (const [handle, h] of this.handles) w.postMessage(openMessage(handle, h));
  }
}

export const writerHost = new WriterHost();

const openMessage = (handle: number, h: HandleListener): ToWriter => ({ kind: 'open', handle, ...h.database });

/**
 * The writer keeps almost nothing between rounds (its live heap is a few MB): a small young
 * generation keeps its resident memory to that, instead of V8's default semi-spaces (some 30 MB
 * more RSS for nothing).
 */
const WRITER_LIMITS = { maxYoungGenerationSizeMb: 4 };

/**
 * From dist/ the thread runs the compiled writer-thread.js. From src/ (tests under tsx) a worker
 * does not inherit the TypeScript loader, so a small bootstrap registers it first.
 */
function newWriterThread(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./writer-thread.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { resourceLimits: WRITER_LIMITS });
  // tsx's ESM api sits beside the CommonJS one that require() resolves (package.json exports).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true });
}
