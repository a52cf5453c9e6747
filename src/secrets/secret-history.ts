/**
 * Every secret seen in this process, newest last, bounded. A reload drops values from the rules,
 * but stored errors and lines already in flight may still hold them: they stay masked.
 */
export class SecretHistory {
  private readonly seen = new Map<string, true>();
  private snapshot: string[] = [];

  constructor(private readonly limit = 1000) {}

  /** Adds the values (refreshing their age); the oldest go once the bound is passed. */
  add(values: readonly string[]): void {
    let changed = false;
    for (const v of values) {
      if (!v) continue;
      if (this.seen.has(v)) this.seen.delete(v);
      else changed = true;
      this.seen.set(v, true);
    }
    for (const oldest of this.seen.keys()) {
      if (this.seen.size <= this.limit) break;
      this.seen.delete(oldest);
      changed = true;
    }
    if (changed) this.snapshot = [...this.seen.keys()];
  }

  /** The same array until the set of values changes, so masks built from it can be cached by identity. */
  list(): string[] {
    return this.snapshot;
  }
}
