import { mintAccessToken } from '@chip-ledger/http';
import { DEMO_SCENARIO, type DemoActor, type DemoStep } from './demo-scenario';

/** Bumped only if the scenario's facts change meaning: a store loaded with another version keeps what it has. */
const KEY_PREFIX = 'demo-v1:';

export interface LoadDemoDataOptions {
  /** The running API, e.g. http://127.0.0.1:3000. */
  readonly baseUrl: string;
  /** The secret the API verifies tokens with (the development secret in the embedded form). */
  readonly jwtSecret: string;
  readonly steps?: readonly DemoStep[];
}

export interface DemoDataResult {
  readonly steps: number;
  /** Every event the steps answered with, first recorded now or by an earlier load. */
  readonly eventIds: readonly string[];
  /** Each step's read-your-writes position, for a reader that must see all of it. */
  readonly positions: readonly string[];
}

export class DemoDataError extends Error {
  constructor(
    readonly step: DemoStep,
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(
      `demo step ${step.key} (POST ${step.path}) answered ${status}: ${JSON.stringify(problem)}` +
        (status === 409 || status === 422 ? ' (the store already holds other facts under the demo’s ids? start from an empty data directory)' : ''),
    );
  }
}

/**
 * Records the demo through the command API, as operators, admins and auditors would: HTTP with their tokens, never
 * by writing the store. Each step carries an Idempotency-Key derived from its fixed id, so loading twice records
 * nothing the second time (the API answers each retry with the original response). Steps run one after another:
 * later facts depend on earlier ones (a delivery on its order).
 */
export async function loadDemoData(options: LoadDemoDataOptions): Promise<DemoDataResult> {
  const tokens = new Map<string, string>();
  const tokenFor = (actor: DemoActor): string => {
    const id = `${actor.role}@${actor.organisationId}`;
    let token = tokens.get(id);
    if (!token) {
      token = mintAccessToken({ sub: `${id} (demo)`, org: actor.organisationId, role: actor.role }, options.jwtSecret, 3600);
      tokens.set(id, token);
    }
    return token;
  };
  const steps = options.steps ?? DEMO_SCENARIO;
  const eventIds: string[] = [];
  const positions: string[] = [];
  for (const step of steps) {
    const response = await fetch(new URL(step.path, options.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenFor(step.as)}`, 'content-type': 'application/json', 'idempotency-key': `${KEY_PREFIX}${step.key}` },
      body: JSON.stringify(step.body),
    });
    const body = (await response.json().catch(() => null)) as { streams?: { eventIds: string[] }[]; position?: string } | null;
    if (response.status !== 201) throw new DemoDataError(step, response.status, body);
    eventIds.push(...(body?.streams ?? []).flatMap((s) => s.eventIds));
    if (body?.position) positions.push(body.position);
  }
  return { steps: steps.length, eventIds, positions };
}
