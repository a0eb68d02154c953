import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';

export type Resource<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: ApiError }
  /** `refreshing`: a newer answer is on its way; the page keeps showing this one meanwhile (no flash on live updates). */
  | { readonly status: 'ready'; readonly data: T; readonly refreshing: boolean };

/**
 * Loads `load()` and loads it again whenever a key changes (the page's subject, the live revision). An answer that
 * arrives after a newer request started is dropped. A failed refresh keeps no stale data on screen: it shows the error.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, keys: readonly unknown[]): { resource: Resource<T>; reload: () => void } {
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef<Resource<T>>(resource);
  latest.current = resource;

  useEffect(() => {
    const controller = new AbortController();
    const previous = latest.current;
    setResource(previous.status === 'ready' ? { ...previous, refreshing: true } : { status: 'loading' });
    load(controller.signal).then(
      (data) => controller.signal.aborted || setResource({ status: 'ready', data, refreshing: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResource({ status: 'error', error: error instanceof ApiError ? error : new ApiError('server', (error as Error).message ?? String(error)) });
      },
    );
    return () => controller.abort();
    // The keys are the dependencies: `load` is a new closure on every render, by design.
  }, [...keys, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { resource, reload };
}
