import http from 'node:http';
import { Pool } from 'undici';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * The load generator's client: an undici `Pool` of keep-alive connections (one per concurrent worker, no
 * pipelining). undici rather than `node:http`'s Agent because the bench shares the machine's cores with the
 * service it measures: `node:http` spent ~0.4 ms of CPU per request in the bench process, which the service
 * then did not get. The figure measured is the service's; the client should cost as little as possible.
 */
export class HttpClient {
  private readonly pool: Pool;

  constructor(baseUrl: string, connections: number) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  }

  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.request('POST', path, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.request('GET', path, null, headers);
  }

  /** Posts and insists on 201 (for seeding: any other answer stops the run, with the problem+json). */
  async create(path: string, body: unknown, token: string): Promise<void> {
    const answer = await this.post(path, body, { authorization: `Bearer ${token}` });
    if (answer.status !== 201) throw new Error(`POST ${path} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }

  private async request(method: 'GET' | 'POST', path: string, payload: string | null, headers: Record<string, string>): Promise<HttpAnswer> {
    const response = await this.pool.request({ method, path, headers, body: payload ?? undefined });
    return { status: response.statusCode, body: await response.body.text() };
  }
}

/** One GET without keep-alive (health checks). */
export function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}
