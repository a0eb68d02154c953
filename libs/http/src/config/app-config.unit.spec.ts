import { z } from 'zod';
import { DEVELOPMENT_JWT_SECRET, integerSetting, InvalidConfigError, loadConfig, loadConfigWith, requireDistributed } from './app-config';

const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidConfigError');
};

describe('loadConfig', () => {
  it('gives the embedded defaults on an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      service: 'chip-ledger',
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: null,
      kafkaBrokers: null,
      kafkaTopicPrefix: 'chipledger',
      jwtSecret: DEVELOPMENT_JWT_SECRET,
      jwtSecretIsDevelopmentDefault: true,
      dataDir: 'data',
      production: false,
      log: { level: 'info', format: 'json' },
      metricsToken: null,
    });
  });

  it('reads the distributed settings; an empty variable means its default', () => {
    const config = loadConfig(
      { PORT: '4001', DATABASE_URL: 'postgres://u@db/x', KAFKA_BROKERS: 'a:9092, b:9092', JWT_SECRET: 'x'.repeat(32), HOST: '', LOG_LEVEL: 'warn', METRICS_TOKEN: 't'.repeat(16) },
      { service: 'audit-service', port: 3003 },
    );
    expect(config).toMatchObject({
      service: 'audit-service',
      port: 4001,
      host: '127.0.0.1',
      databaseUrl: 'postgres://u@db/x',
      kafkaBrokers: ['a:9092', 'b:9092'],
      jwtSecretIsDevelopmentDefault: false,
      log: { level: 'warn' },
      metricsToken: 't'.repeat(16),
    });
    expect(loadConfig({}, { port: 3003 }).port).toBe(3003);
  });

  it('lists every invalid setting at once, on one line, without repeating secrets', () => {
    const env = {
      PORT: 'abc',
      DATABASE_URL: 'mysql://root:hunter2@x',
      KAFKA_BROKERS: 'nohost',
      JWT_SECRET: 'short-secret',
      LOG_LEVEL: 'loud',
      METRICS_TOKEN: 'tiny',
      KAFKA_TOPIC_PREFIX: 'a b',
    };
    expect(problemsOf(() => loadConfig(env))).toEqual([
      'PORT must be an integer 0..65535 (got "abc")',
      'DATABASE_URL must be a postgres:// URL',
      'KAFKA_BROKERS must be host:port[,host:port...] (got "nohost")',
      'KAFKA_TOPIC_PREFIX may hold only letters, digits, . _ - (at most 100)',
      'JWT_SECRET must be at least 32 characters',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'METRICS_TOKEN must be at least 16 characters',
    ]);
    const error = (() => {
      try {
        loadConfig(env);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toMatch(/^Invalid configuration: PORT must be an integer 0\.\.65535 \(got "abc"\); DATABASE_URL/);
    expect(error?.message).not.toContain('\n');
    expect(error?.message).not.toMatch(/hunter2|short-secret|tiny/);
  });

  it('refuses ports out of range and numbers that are not integers', () => {
    for (const port of ['65536', '-1', '80.5', '1e3', '99999999999999999999']) {
      expect(problemsOf(() => loadConfig({ PORT: port }))).toEqual([`PORT must be an integer 0..65535 (got "${port}")`]);
    }
  });

  it('reads the replication of the topics it creates, one broker down allowed by default', () => {
    expect(loadConfig({})).toMatchObject({ kafkaReplicationFactor: 1, kafkaMinInsyncReplicas: 1, projectionMaxLag: 10_000 });
    expect(loadConfig({ KAFKA_REPLICATION_FACTOR: '3' })).toMatchObject({ kafkaReplicationFactor: 3, kafkaMinInsyncReplicas: 2 });
    expect(loadConfig({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '3', PROJECTION_MAX_LAG: '500' })).toMatchObject({
      kafkaMinInsyncReplicas: 3,
      projectionMaxLag: 500,
    });
  });

  it.each([
    [{ KAFKA_REPLICATION_FACTOR: '0' }, 'KAFKA_REPLICATION_FACTOR must be an integer 1..32 (got "0")'],
    [{ KAFKA_REPLICATION_FACTOR: 'three' }, 'KAFKA_REPLICATION_FACTOR must be an integer 1..32 (got "three")'],
    [{ KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '3' }, 'KAFKA_MIN_INSYNC_REPLICAS (3) cannot exceed KAFKA_REPLICATION_FACTOR (2): no write would ever be acknowledged'],
    [{ PROJECTION_MAX_LAG: '-5' }, 'PROJECTION_MAX_LAG must be a positive integer (got "-5")'],
  ])('refuses %j, naming the setting', (env, message) => {
    expect(problemsOf(() => loadConfig(env))).toEqual([message]);
  });

  it('refuses to run in production on the development secret', () => {
    expect(problemsOf(() => loadConfig({ NODE_ENV: 'production' }))).toEqual(['JWT_SECRET is required when NODE_ENV=production']);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) }).production).toBe(true);
  });

  it('writes JSON logs off a terminal, and in production even on one', () => {
    expect(loadConfig({ LOG_FORMAT: 'json' }).log.format).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).log.format).toBe('pretty'); // pino-pretty is a dev dependency here
    expect(problemsOf(() => loadConfig({ LOG_FORMAT: 'colour' }))).toEqual(['LOG_FORMAT must be json or pretty (got "colour")']);
    const tty = process.stdout.isTTY;
    try {
      process.stdout.isTTY = true;
      expect(loadConfig({}).log.format).toBe('pretty');
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) }).log.format).toBe('json');
      process.stdout.isTTY = false;
      expect(loadConfig({}).log.format).toBe('json');
    } finally {
      process.stdout.isTTY = tty;
    }
  });
});

describe('loadConfigWith: a service adds its own settings', () => {
  const shape = { BATCH: z.preprocess((v) => (v === '' ? undefined : v), integerSetting(1, 1_000).optional()) };
  const load = (env: Record<string, string>) => loadConfigWith(env, { service: 's' }, shape, (settings) => ({ batch: settings.BATCH ?? 10 }));

  it('validates them with the shared ones and puts them in the same configuration', () => {
    expect(load({ BATCH: '50' })).toMatchObject({ service: 's', batch: 50 });
    expect(load({})).toMatchObject({ batch: 10 });
  });

  it('names their problems in the same line as the shared ones', () => {
    expect(problemsOf(() => load({ BATCH: '0', PORT: 'x' }))).toEqual(['PORT must be an integer 0..65535 (got "x")', 'BATCH must be an integer 1..1000 (got "0")']);
  });
});

describe('requireDistributed', () => {
  it('names what a distributed service needs', () => {
    expect(problemsOf(() => requireDistributed(loadConfig({ DATABASE_URL: 'postgres://x/y' }), 'audit-service'))).toEqual([
      'audit-service needs DATABASE_URL and KAFKA_BROKERS (`npm start` runs the embedded form without them)',
    ]);
    expect(requireDistributed(loadConfig({ DATABASE_URL: 'postgres://x/y', KAFKA_BROKERS: 'k:9092' }), 'audit-service').kafkaBrokers).toEqual(['k:9092']);
  });
});
