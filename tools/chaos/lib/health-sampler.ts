/** GET /health of some services every `everyMs`, to say afterwards what they reported during a fault and when they were ok again. */
export class HealthSampler {
  private readonly samples: { at: number; service: string; status: string; degraded: string[] }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly services: readonly { name: string; baseUrl: string }[]) {}

  start(everyMs = 500): void {
    const sample = async () => {
      await Promise.all(
        this.services.map(async ({ name, baseUrl }) => {
          const at = Date.now();
          try {
            const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(4_000) });
            const body = (await res.json()) as { status?: string; degraded?: string[] };
            this.samples.push({ at, service: name, status: body.status ?? String(res.status), degraded: body.degraded ?? [] });
          } catch (error) {
            this.samples.push({ at, service: name, status: 'unreachable', degraded: [(error as Error).message] });
          }
        }),
      );
      if (this.timer) this.timer = setTimeout(() => void sample(), everyMs);
    };
    this.timer = setTimeout(() => void sample(), 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** What each service said was degraded between `from` and `to`: each check once, with the first reason it gave. */
  degradedBetween(from: number, to: number): string[] {
    const seen = new Map<string, string>();
    for (const s of this.samples) {
      if (s.at < from || s.at > to) continue;
      if (s.status === 'unreachable' && !seen.has(`${s.service}`)) seen.set(`${s.service}`, `${s.service} unreachable`);
      for (const reason of s.degraded) {
        const check = `${s.service} ${reason.split(':')[0]}`;
        if (!seen.has(check)) seen.set(check, `${s.service} ${reason.replace(/\b\d{4,}\b/g, 'N').slice(0, 140)}`);
      }
    }
    return [...seen.values()];
  }

  /** When every service last turned `ok` after `from` and stayed so until `until`, or null if one never did. */
  allOkAfter(from: number, until = Infinity): number | null {
    let latest = from;
    for (const { name } of this.services) {
      const mine = this.samples.filter((s) => s.service === name && s.at >= from && s.at <= until);
      const lastBad = [...mine].reverse().find((s) => s.status !== 'ok');
      const firstOkAfterBad = mine.find((s) => s.status === 'ok' && (!lastBad || s.at > lastBad.at));
      if (!firstOkAfterBad) return null;
      latest = Math.max(latest, firstOkAfterBad.at);
    }
    return latest;
  }

  /** Whether a service reported anything but ok between the instants. */
  wasDegraded(service: string, from: number, to: number): boolean {
    return this.samples.some((s) => s.service === service && s.at >= from && s.at <= to && s.status !== 'ok');
  }
}
