import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { loadDemoData } from './load-demo-data';

/** `npm start -- --demo`, or CHIPLEDGER_DEMO=1 (or true). */
export function wantsDemoData(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const flag = env['CHIPLEDGER_DEMO']?.trim().toLowerCase();
  return args.includes('--demo') || flag === '1' || flag === 'true';
}

/** What the loader needs of a listening Nest app: where it listens. */
interface ListeningApp {
  getHttpServer(): { address(): AddressInfo | string | null };
}

/**
 * Loads the demo into the app that has just started listening, through its own HTTP API. A refusal is logged, not
 * thrown: the ledger keeps serving whatever it already holds.
 */
export async function loadDemoDataInto(app: ListeningApp, config: { jwtSecret: string }): Promise<void> {
  const logger = new Logger('Demo');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') {
    logger.error(`Demo data not loaded: the server listens on ${address ?? 'nothing'}, not a TCP port`);
    return;
  }
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${host}:${address.port}`;
  const started = Date.now();
  try {
    const result = await loadDemoData({ baseUrl, jwtSecret: config.jwtSecret });
    // Facts an earlier --demo recorded are answered from their Idempotency-Key: they add nothing.
    logger.log(`Demo data ready: its ${result.steps} facts went through the API in ${Date.now() - started} ms (any already in the ledger added nothing). Open ${baseUrl}/`);
  } catch (error) {
    logger.error(`Demo data could not be loaded: ${(error as Error).message}`);
  }
}
