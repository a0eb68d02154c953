/** An instant (epoch ms) as the ISO string the read models store and answer. */
export const iso = (ms: number): string => new Date(ms).toISOString();
