import http from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** A small client on node:http with a keep-alive agent (no library between the bench and the socket). */
export class HttpClient {
  readonly agent: http.Agent;
  private readonly url: URL;

  constructor(baseUrl: string, maxSockets: number) {
    this.url = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const payload = JSON.stringify(body);
    return this.request('POST', path, payload, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), ...headers });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.request('GET', path, null, headers);
  }

  /** Posts and insists on 201 (for seeding: any other answer stops the run, with the problem+json). */
  async create(path: string, body: unknown, token: string): Promise<void> {
    const answer = await this.post(path, body, { authorization: `Bearer ${token}` });
    if (answer.status !== 201) throw new Error(`POST ${path} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
  }

  close(): void {
    this.agent.destroy();
  }

  private request(method: string, path: string, payload: string | null, headers: Record<string, string>): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.url.hostname, port: this.url.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload ?? undefined);
    });
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
