import { readFileSync } from 'node:fs';

/** Samples VmRSS of `pid` every `everyMs`; `stop()` gives the peak seen and the kernel's VmHWM (MB). */
export function sampleRss(pid: number, everyMs = 50): { stop(): { peakMb: number; hwmMb: number } } {
  let peakKb = 0;
  let hwmKb = 0;
  const read = (): void => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? hwmKb);
      if (rss > peakKb) peakKb = rss;
    } catch {
      // the process is gone
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      read();
      clearInterval(timer);
      return { peakMb: peakKb / 1024, hwmMb: hwmKb / 1024 };
    },
  };
}

/** A process's CPU time so far (user + system, all its threads), in ms, from /proc/<pid>/stat (10 ms ticks). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
