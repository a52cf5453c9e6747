import { useEffect, useRef } from 'preact/hooks';

/**
 * Runs `tick` now and every `everyMs` while the tab is visible (a hidden tab asks nothing of the
 * relay), never two at once. `deps` restart it (new filters).
 */
export function usePoll(tick: () => Promise<void>, everyMs: number, deps: unknown[]): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    const run = async (): Promise<void> => {
      if (stopped || running) return;
      clearTimeout(timer);
      if (document.visibilityState === 'visible') {
        running = true;
        try {
          await latest.current();
        } catch {
          // The tick shows its own errors; polling goes on.
        } finally {
          running = false;
        }
      }
      if (!stopped) timer = setTimeout(run, everyMs);
    };
    const onVisible = (): void => void (document.visibilityState === 'visible' && run());
    document.addEventListener('visibilitychange', onVisible);
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, deps);
}
