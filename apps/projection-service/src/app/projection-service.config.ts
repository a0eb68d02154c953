/**
 * `PROJECTIONS` (comma-separated read model names, default all): the read models this instance consumes, e.g.
 * `findings` in one process and `chip-mix,licence-balances,rentals` in another (each on a core of its own).
 * Every instance serves every query; `none` makes a query instance that consumes nothing; an unknown name stops
 * the start (the engine checks names against the registry).
 */
export const projectionsToRun = (value: string | undefined): string[] | undefined => {
  // A query instance: serves the API, consumes nothing (read load scales apart from the projectors).
  if (value?.trim() === 'none') return [];
  const names = (value ?? '').split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  return names.length > 0 ? names : undefined;
};

/**
 * `PROJECTION_EXCLUSIVE_BATCH` (default: the runner's, 100,000): most events per transaction of an exclusive read
 * model (findings) while it catches up. Fewer means less memory held (100,000 decoded events are ~200 MB) and more
 * compliance evaluations (each touched data center once per transaction). Anything but a positive integer stops
 * the start.
 */
export const exclusiveBatch = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`PROJECTION_EXCLUSIVE_BATCH must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
};
