/**
 * Configuration read from the environment once, at start-up. Anything invalid stops the process with every
 * problem listed (fail fast), instead of surfacing as a 500 later.
 */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** Absent in the embedded form: the app starts its own PostgreSQL. */
  readonly databaseUrl: string | null;
  /** Absent in the embedded form: projections read the PostgreSQL event log instead of Kafka. */
  readonly kafkaBrokers: string[] | null;
  /** Namespace of the ledger's topics (`<prefix>.<context>.v1`); default 'chipledger'. */
  readonly kafkaTopicPrefix: string;
  readonly jwtSecret: string;
  /** True when JWT_SECRET was not given and the development secret is in use. */
  readonly jwtSecretIsDevelopmentDefault: boolean;
  readonly dataDir: string;
  readonly production: boolean;
}

/** Publicly known, so only for local development: the embedded `npm start` and tests. */
export const DEVELOPMENT_JWT_SECRET = 'chip-ledger-development-secret-do-not-use-in-production';

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, defaults: { port?: number } = {}): AppConfig {
  const problems: string[] = [];
  const production = env['NODE_ENV'] === 'production';

  const port = env['PORT'] === undefined || env['PORT'] === '' ? (defaults.port ?? 3000) : Number(env['PORT']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be an integer 0..65535 (got '${env['PORT']}')`);

  const databaseUrl = env['DATABASE_URL'] || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// URL');

  const kafkaBrokers = env['KAFKA_BROKERS'] ? env['KAFKA_BROKERS'].split(',').map((b) => b.trim()).filter(Boolean) : null;
  if (kafkaBrokers?.some((b) => !/^[^:\s]+:\d+$/.test(b))) problems.push(`KAFKA_BROKERS must be host:port[,host:port...] (got '${env['KAFKA_BROKERS']}')`);

  const kafkaTopicPrefix = env['KAFKA_TOPIC_PREFIX'] || 'chipledger';
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(kafkaTopicPrefix)) problems.push('KAFKA_TOPIC_PREFIX may hold only letters, digits, . _ -');

  const givenSecret = env['JWT_SECRET'];
  if (givenSecret !== undefined && givenSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  if (givenSecret === undefined && production) problems.push('JWT_SECRET is required when NODE_ENV=production');

  if (problems.length) throw new InvalidConfigError(problems);
  return {
    port,
    host: env['HOST'] || '127.0.0.1',
    databaseUrl,
    kafkaBrokers,
    kafkaTopicPrefix,
    jwtSecret: givenSecret ?? DEVELOPMENT_JWT_SECRET,
    jwtSecretIsDevelopmentDefault: givenSecret === undefined,
    dataDir: env['CHIPLEDGER_DATA_DIR'] || 'data',
    production,
  };
}

/** The settings a service of the distributed form cannot run without. */
export type DistributedConfig = AppConfig & { readonly databaseUrl: string; readonly kafkaBrokers: string[] };

export function requireDistributed(config: AppConfig, service: string): DistributedConfig {
  const { databaseUrl, kafkaBrokers } = config;
  if (!databaseUrl || !kafkaBrokers) {
    throw new InvalidConfigError([`${service} needs DATABASE_URL and KAFKA_BROKERS (\`npm start\` runs the embedded form without them)`]);
  }
  return { ...config, databaseUrl, kafkaBrokers };
}
