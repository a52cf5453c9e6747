import { Writable } from 'node:stream';

/** A writable that keeps every line written to it, and can wait for lines to arrive. */
export class LineCapture extends Writable {
  readonly lines: string[] = [];
  private waiters: (() => void)[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line) this.lines.push(line);
    for (const w of this.waiters.splice(0)) w();
    cb();
  }

  /** Resolves when `pred` holds over the lines; rejects after `timeoutMs`. */
  async waitFor(pred: (lines: string[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.lines)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting; lines so far:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}
