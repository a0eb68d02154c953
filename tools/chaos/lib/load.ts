import { commandsOf, tokens, type Command } from './world';

/** A command the service acknowledged (201), with what it answered. */
export interface Acknowledged {
  readonly key: string;
  readonly kind: Command['kind'];
  readonly eventIds: readonly string[];
  readonly streamId: string;
  readonly version: number;
  /** When the first try was sent and, if any try failed with a 5xx or a transport error, when the first such answer came. */
  readonly sentAt: number;
  readonly firstFailureAt: number | null;
  readonly answeredAt: number;
}

export interface LoadFigures {
  /** HTTP requests sent, retries included. */
  readonly requests: number;
  /** Commands (distinct Idempotency-Keys). */
  readonly commands: number;
  readonly acknowledged: Acknowledged[];
  /** Final 4xx refusals, by status and code. */
  readonly refused: Record<string, number>;
  /** Every 5xx answer and transport error, by kind (`503 SERVICE.DEPENDENCY_UNAVAILABLE`, `transport ECONNREFUSED`). */
  readonly failures: Record<string, number>;
  /** 503 answers without Retry-After, or whose detail claims nothing was recorded (must stay 0). */
  readonly dishonest: string[];
  /** Commands still unanswered when the load gave up on them (retrying past the drain deadline). */
  readonly unresolved: number;
  /** Wall-clock instants of every 201, for gaps around a fault. */
  readonly ackTimes: number[];
}

export interface RunningLoad {
  /** Stops sending new commands, lets every command in flight be retried to an answer (at most `drainMs`), and returns the figures. */
  stop(drainMs?: number): Promise<LoadFigures>;
  /** Acknowledged so far. */
  acknowledgedCount(): number;
  /** The last 201's instant (0 before any). */
  lastAckAt(): number;
}

/**
 * A closed loop of `workers` clients, each sending its commands one at a time, as a careful client would: every
 * command has an Idempotency-Key, and a 5xx or a transport error is retried with the same key (after Retry-After,
 * or 250 ms) until the service answers 201 or a 4xx. A retry of a command that had committed is answered with the
 * original result: the figures count it once.
 */
export function startLoad(baseUrl: string, options: { workers: number; runId: string; dataCenters: readonly string[] }): RunningLoad {
  let requests = 0;
  let commands = 0;
  let unresolved = 0;
  let stopping = false;
  let drainDeadline = Infinity;
  const acknowledged: Acknowledged[] = [];
  const refused: Record<string, number> = {};
  const failures: Record<string, number> = {};
  const dishonest: string[] = [];
  const ackTimes: number[] = [];
  const count = (into: Record<string, number>, kind: string) => void (into[kind] = (into[kind] ?? 0) + 1);

  const sendOnce = async (command: Command): Promise<{ status: number; body: Record<string, unknown> | null; retryAfter: number | null; transport: string | null }> => {
    requests++;
    try {
      const res = await fetch(`${baseUrl}${command.path}`, {
        method: 'POST',
        headers: { authorization: tokens.operator, 'content-type': 'application/json', 'idempotency-key': command.key },
        body: JSON.stringify(command.body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { detail: text.slice(0, 200) };
      }
      const retryAfter = res.headers.get('retry-after');
      return { status: res.status, body, retryAfter: retryAfter === null ? null : Number(retryAfter), transport: null };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { status: 0, body: null, retryAfter: null, transport: cause?.code ?? cause?.message ?? (error as Error).name };
    }
  };

  const worker = async (w: number) => {
    const generator = commandsOf(w, options.runId, options.dataCenters, options.workers);
    while (!stopping) {
      const command = generator.next().value;
      commands++;
      const sentAt = Date.now();
      let firstFailureAt: number | null = null;
      for (;;) {
        const answer = await sendOnce(command);
        if (answer.status === 201 && answer.body) {
          const at = Date.now();
          ackTimes.push(at);
          acknowledged.push({
            key: command.key,
            kind: command.kind,
            eventIds: answer.body['eventIds'] as string[],
            streamId: answer.body['streamId'] as string,
            version: answer.body['version'] as number,
            sentAt,
            firstFailureAt,
            answeredAt: at,
          });
          break;
        }
        if (answer.status >= 400 && answer.status < 500) {
          count(refused, `${answer.status} ${String(answer.body?.['code'] ?? '')}`.trim());
          break;
        }
        firstFailureAt ??= Date.now();
        count(failures, answer.status === 0 ? `transport ${answer.transport}` : `${answer.status} ${String(answer.body?.['code'] ?? '')}`.trim());
        if (answer.status === 503) {
          const detail = String(answer.body?.['detail'] ?? '');
          if (answer.retryAfter === null) dishonest.push(`503 without Retry-After: ${detail}`);
          if (/nothing was (recorded|written)/i.test(detail) && answer.body?.['code'] !== 'LEDGER.BUSY') dishonest.push(`503 claiming nothing was recorded: ${detail}`);
        }
        if (answer.status === 500 && /nothing was recorded/i.test(String(answer.body?.['detail'] ?? ''))) dishonest.push(`500 claiming nothing was recorded`);
        if (Date.now() > drainDeadline) {
          unresolved++;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, answer.retryAfter !== null ? Math.min(answer.retryAfter * 1000, 2_000) : 250));
      }
    }
  };

  const running = Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
  return {
    stop: async (drainMs = 120_000) => {
      stopping = true;
      drainDeadline = Date.now() + drainMs;
      await running;
      return { requests, commands, acknowledged, refused, failures, dishonest, unresolved, ackTimes };
    },
    acknowledgedCount: () => acknowledged.length,
    lastAckAt: () => ackTimes[ackTimes.length - 1] ?? 0,
  };
}

/** The longest time without any 201 between `from` and `to` (ms): how long writes stopped around a fault. */
export function longestGap(ackTimes: readonly number[], from: number, to: number): number {
  const inside = ackTimes.filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  let previous = from;
  let gap = 0;
  for (const t of [...inside, to]) {
    gap = Math.max(gap, t - previous);
    previous = t;
  }
  return gap;
}
