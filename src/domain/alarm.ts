/**
 * The sleep of a loop that others can wake: wake() ends the sleep in progress, or, between two
 * sleeps, makes the next one return at once (work came while the loop was busy). The loop calls
 * clear() when it starts a round of work, so that only what comes after counts.
 */
export class Alarm {
  private woken = false;
  private ring: (() => void) | null = null;

  wake(): void {
    this.woken = true;
    this.ring?.();
  }

  clear(): void {
    this.woken = false;
  }

  /** Until `ms` have passed or wake() is called; at once if woken since clear(), or if `over()`. */
  sleep(ms: number, over: () => boolean = () => false): Promise<void> {
    if (this.woken || over()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.ring = null;
        resolve();
      }
      this.ring = done;
    });
  }

  /**
   * The loop of a periodic pass: runs `pass` every `ms`, or sooner when woken, until `over()`. A
   * pass that throws is told to `failed` and the loop goes on with the next one.
   */
  async repeat(ms: number, over: () => boolean, pass: () => Promise<unknown>, failed: (err: unknown) => void): Promise<void> {
    while (!over()) {
      this.clear();
      try {
        await pass();
      } catch (err) {
        failed(err);
      }
      await this.sleep(ms, over);
    }
  }
}
