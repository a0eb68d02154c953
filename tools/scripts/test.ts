/**
 * `npm test`: make PostgreSQL and Kafka available once for the whole run, then run every project's tests
 * through Nx. Projects' own Jest global setups find DATABASE_URL / KAFKA_BROKERS set and reuse them.
 * Extra arguments go to `nx run-many` (e.g. `npm test -- --projects=domain`).
 */
import { spawn } from 'node:child_process';
import { describeInfrastructure, startTestInfrastructure } from '@chip-ledger/testing';

async function main(): Promise<number> {
  const started = Date.now();
  const infra = await startTestInfrastructure({ kafka: true });
  console.log(`[test] infrastructure ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${describeInfrastructure(infra)}`);
  try {
    return await runNx(['run-many', '-t', 'test', '--outputStyle=stream', ...process.argv.slice(2)]);
  } finally {
    await infra.stop();
  }
}

function runNx(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('nx/bin/nx'), ...args], {
      stdio: 'inherit',
      env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...process.env },
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[test] ${(error as Error).message}`);
    process.exit(1);
  },
);
