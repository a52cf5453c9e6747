import type { Rules } from '../config/rules-types.js';
import type { Destination, DestinationDeps, DestinationKind } from './destination.js';

/** The destinations of one rules version, built once per (re)load and closed when replaced. */
export class DestinationSet {
  private readonly byName = new Map<string, Destination>();
  readonly caps = new Map<string, number>();

  constructor(
    readonly rules: Rules,
    kinds: ReadonlyMap<string, DestinationKind>,
    deps: DestinationDeps,
  ) {
    for (const spec of rules.destinations.values()) {
      const kind = kinds.get(spec.kind);
      // The rules loader refuses unknown kinds; this guards a kind list that drifted.
      if (!kind) throw new Error(`destination "${spec.name}": unknown kind "${spec.kind}"`);
      this.byName.set(spec.name, kind.create(spec, deps));
      this.caps.set(spec.name, spec.concurrency ?? DEFAULT_CAPS[spec.kind] ?? 4);
    }
  }

  private users = 0;
  private retired = false;
  private closing: Promise<void> | null = null;

  get(name: string): Destination | undefined {
    return this.byName.get(name);
  }

  /** A send is using the set (the worker holds it from claim to bookkeeping). */
  retain(): void {
    this.users++;
  }

  release(): void {
    this.users--;
    if (this.retired && this.users === 0) void this.close();
  }

  /** Replaced by a reload: close once the sends still using it are done. */
  retire(): void {
    this.retired = true;
    if (this.users === 0) void this.close();
  }

  close(): Promise<void> {
    return (this.closing ??= Promise.allSettled([...this.byName.values()].map((d) => d.close?.())).then(() => undefined));
  }
}

/**
 * Slack threads are sequential anyway and the API is rate limited; HTTP receivers take more. A
 * mirror's deliveries are whole files: two transfers at once keep a link busy without starving it.
 * HTTP and log get 64: while the intake is busy every send waits its turn on the event loop, so a
 * destination's rate is about its cap / that wait, and with 16 the deliveries fell behind a
 * sustained intake (0.46x of it in `npm run bench`, 1.0x with 64). The worker's overall cap
 * (RELAY_WORKER_CONCURRENCY, 256) stays well above it, so one hanging receiver holding all its
 * slots leaves the others most of theirs.
 */
const DEFAULT_CAPS: Record<string, number> = { slack: 2, email: 2, http: 64, log: 64, mirror: 2 };
