/**
 * One request's abort signal: its own timeout, or the shutdown signal, whichever comes first.
 * Not AbortSignal.any: combined with the process-long shutdown signal it keeps every dependent
 * signal alive on some Node 20 releases (nodejs/node#55351), a leak of one signal per request.
 * `done()` must be called when the request has finished (it clears the timer and the listener).
 */
export function requestSignal(timeoutMs: number, shutdown: AbortSignal): { signal: AbortSignal; done: () => void } {
  const ctl = new AbortController();
  const onShutdown = (): void => ctl.abort(shutdown.reason);
  const timer = setTimeout(() => ctl.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  timer.unref();
  if (shutdown.aborted) onShutdown();
  else shutdown.addEventListener('abort', onShutdown, { once: true });
  return {
    signal: ctl.signal,
    done: () => {
      clearTimeout(timer);
      shutdown.removeEventListener('abort', onShutdown);
    },
  };
}
