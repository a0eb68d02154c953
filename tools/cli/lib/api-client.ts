import type * as Http from '@chip-ledger/http';
import type { Role } from '@chip-ledger/domain';
import { ServerError, UsageError } from './errors';

/** What every command that talks to the service takes. */
export interface ServiceOptions {
  readonly url?: string;
  readonly token?: string;
  readonly json?: boolean;
}

/**
 * A small client of the HTTP API: bearer token from --token (or CHIP_LEDGER_TOKEN), else a development token minted
 * with JWT_SECRET (or the development secret) for `role`; problem+json answers become ServerErrors with their detail.
 */
/**
 * A token of the given role signed with JWT_SECRET (or the development secret). The HTTP library is loaded only here:
 * it brings Nest, seconds of start-up that a command given a token, or `--help`, need not pay.
 */
function developmentToken(role: Role): string {
  const { loadConfig, mintAccessToken } = require('@chip-ledger/http') as typeof Http;
  return mintAccessToken({ sub: `cli-${role}`, org: 'chip-ledger', role }, loadConfig(process.env).jwtSecret, 3600);
}

export class ApiClient {
  readonly base: string;
  private readonly authorization: string;

  constructor(options: ServiceOptions, role: Role) {
    const url = options.url ?? process.env['CHIP_LEDGER_URL'] ?? `http://127.0.0.1:${process.env['PORT'] ?? 3000}`;
    try {
      this.base = new URL(url).toString().replace(/\/$/, '');
    } catch {
      throw new UsageError(`--url ${url} is not a URL (e.g. http://127.0.0.1:3000)`);
    }
    const token = options.token ?? process.env['CHIP_LEDGER_TOKEN'];
    this.authorization = `Bearer ${token ?? developmentToken(role)}`;
  }

  async get<T>(path: string, query: Record<string, string | number | readonly string[] | undefined> = {}): Promise<T> {
    const url = new URL(this.base + path);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(one));
    }
    return this.send<T>(url.toString(), { method: 'GET' });
  }

  async post<T>(path: string): Promise<T> {
    return this.send<T>(this.base + path, { method: 'POST' });
  }

  private async send<T>(url: string, init: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers: { authorization: this.authorization, accept: 'application/json' } });
    } catch (error) {
      throw new ServerError(`cannot reach ${this.base}: ${((error as Error & { cause?: Error }).cause ?? (error as Error)).message}`, 0);
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text;
      try {
        const problem = JSON.parse(text) as { detail?: string; code?: string };
        detail = `${problem.detail ?? text}${problem.code ? ` (${problem.code})` : ''}`;
      } catch {
        // not problem+json: the body as it came
      }
      throw new ServerError(`${res.status}: ${detail}`, res.status);
    }
    return JSON.parse(text) as T;
  }
}
