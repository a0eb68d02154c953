import { z } from 'zod';

/**
 * Configuration read from the environment once, at start-up, through {@link appSettings} (a zod schema). Anything
 * invalid stops the process with one line listing every problem (fail fast), instead of surfacing as a 500 later.
 * The validated object then reaches the app's providers through `@nestjs/config` (`HttpPlatformModule`).
 */
export interface AppConfig {
  /** Which deployable this is (log lines and metrics carry it). */
  readonly service: string;
  readonly port: number;
  readonly host: string;
  /** Absent in the embedded form: the app starts its own PostgreSQL. */
  readonly databaseUrl: string | null;
  /** Absent in the embedded form: projections read the PostgreSQL event log instead of Kafka. */
  readonly kafkaBrokers: string[] | null;
  /** Namespace of the ledger's topics (`<prefix>.<context>.v1`); default 'chipledger'. */
  readonly kafkaTopicPrefix: string;
  /** Copies of each partition of the topics the product creates (KAFKA_REPLICATION_FACTOR); default 1. */
  readonly kafkaReplicationFactor: number;
  /**
   * Their `min.insync.replicas` (KAFKA_MIN_INSYNC_REPLICAS): copies that must have a write before the broker
   * acknowledges it; default one less than the factor (at least 1), so one broker may be down and writes go on.
   */
  readonly kafkaMinInsyncReplicas: number;
  /** `/health` says degraded while a read model is more than this many messages behind (PROJECTION_MAX_LAG); default 10,000. */
  readonly projectionMaxLag: number;
  readonly jwtSecret: string;
  /** True when JWT_SECRET was not given and the development secret is in use. */
  readonly jwtSecretIsDevelopmentDefault: boolean;
  readonly dataDir: string;
  readonly production: boolean;
  readonly log: LogSettings;
  /** When set, GET /metrics wants `Authorization: Bearer <token>`; when null it is public, like /health. */
  readonly metricsToken: string | null;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogSettings {
  readonly level: LogLevel;
  /** `json`: one JSON object per line (the default off a terminal); `pretty`: coloured lines for a developer's terminal. */
  readonly format: 'json' | 'pretty';
}

/** Publicly known, so only for local development: the embedded `npm start` and tests. */
export const DEVELOPMENT_JWT_SECRET = 'chip-ledger-development-secret-do-not-use-in-production';

/** Every problem of the environment, in one line (no stack trace: see `exitOnStartupFailure`). */
export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'InvalidConfigError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/** An unset variable and an empty one mean the same: the default. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const got = (input: unknown) => `(got ${JSON.stringify(input)})`;

/** An optional variable; `schema` validates it when it is set and not empty. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());

/** An integer variable within [min, max]. */
export const integerSetting = (min: number, max: number) =>
  z
    .string()
    .trim()
    .refine((text) => /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) >= min && Number(text) <= max, {
      error: (issue) => `must be an integer ${min}..${max} ${got(issue.input)}`,
    })
    .transform(Number);

/** A positive integer variable (a count, a size). */
export const positiveIntegerSetting = () =>
  z
    .string()
    .trim()
    .refine((text) => /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) >= 1, {
      error: (issue) => `must be a positive integer ${got(issue.input)}`,
    })
    .transform(Number);

/**
 * The variables every deployable reads, with their rules. Messages never repeat a secret's value
 * (JWT_SECRET, METRICS_TOKEN, a DATABASE_URL's password).
 */
export const appSettings = {
  NODE_ENV: optional(z.string()),
  PORT: optional(integerSetting(0, 65535)),
  HOST: optional(z.string()),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// URL' })),
  KAFKA_BROKERS: optional(
    z
      .string()
      .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
      .refine((brokers) => brokers.length > 0 && brokers.every((broker) => /^[^:\s]+:\d+$/.test(broker)), {
        error: (issue) => `must be host:port[,host:port...] ${got((issue.input as string[]).join(','))}`,
      }),
  ),
  KAFKA_TOPIC_PREFIX: optional(z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, { error: 'may hold only letters, digits, . _ - (at most 100)' })),
  JWT_SECRET: optional(z.string().min(32, { error: 'must be at least 32 characters' })),
  CHIPLEDGER_DATA_DIR: optional(z.string()),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: (issue) => `must be one of ${LOG_LEVELS.join(', ')} ${got(issue.input)}` })),
  LOG_FORMAT: optional(z.enum(['json', 'pretty'], { error: (issue) => `must be json or pretty ${got(issue.input)}` })),
  METRICS_TOKEN: optional(z.string().min(16, { error: 'must be at least 16 characters' })),
  KAFKA_REPLICATION_FACTOR: optional(integerSetting(1, 32)),
  KAFKA_MIN_INSYNC_REPLICAS: optional(integerSetting(1, 32)),
  PROJECTION_MAX_LAG: optional(positiveIntegerSetting()),
} satisfies z.ZodRawShape;

type AppSettings = z.output<z.ZodObject<typeof appSettings>>;

export interface LoadConfigOptions {
  /** The service's name (default 'chip-ledger'). */
  readonly service?: string;
  /** The port when PORT is not set (default 3000). */
  readonly port?: number;
}

/** The shared settings from `env` (default `process.env`); throws {@link InvalidConfigError}. */
export function loadConfig(env: Environment = process.env, options: LoadConfigOptions = {}): AppConfig {
  return loadConfigWith(env, options, {}, () => ({}));
}

/**
 * The shared settings plus a service's own: `shape` holds the schemas of its variables, `toConfig` turns their
 * validated values into its part of the configuration. Both are checked together, so one line names every problem.
 */
export function loadConfigWith<S extends z.ZodRawShape, T extends object>(
  env: Environment,
  options: LoadConfigOptions,
  shape: S,
  toConfig: (settings: z.output<z.ZodObject<S>>) => T,
): AppConfig & T {
  const result = z.object({ ...appSettings, ...shape }).safeParse(env);
  const problems = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  const settings = result.data as (AppSettings & z.output<z.ZodObject<S>>) | undefined;
  const production = env['NODE_ENV'] === 'production';
  if (production && unsetIfEmpty(env['JWT_SECRET']) === undefined) problems.push('JWT_SECRET is required when NODE_ENV=production');
  const kafkaReplicationFactor = settings?.KAFKA_REPLICATION_FACTOR ?? 1;
  // One broker may be down and writes go on: one copy fewer than the factor must have a write (at least 1).
  const kafkaMinInsyncReplicas = settings?.KAFKA_MIN_INSYNC_REPLICAS ?? Math.max(1, kafkaReplicationFactor - 1);
  if (kafkaMinInsyncReplicas > kafkaReplicationFactor) {
    problems.push(`KAFKA_MIN_INSYNC_REPLICAS (${kafkaMinInsyncReplicas}) cannot exceed KAFKA_REPLICATION_FACTOR (${kafkaReplicationFactor}): no write would ever be acknowledged`);
  }
  const logFormat = settings?.LOG_FORMAT ?? defaultLogFormat(production);
  if (logFormat === 'pretty' && !prettyPrinterInstalled()) problems.push('LOG_FORMAT=pretty needs the pino-pretty package (a development dependency)');
  if (problems.length > 0 || !settings) throw new InvalidConfigError(problems);
  return {
    service: options.service ?? 'chip-ledger',
    port: settings.PORT ?? options.port ?? 3000,
    host: settings.HOST ?? '127.0.0.1',
    databaseUrl: settings.DATABASE_URL ?? null,
    kafkaBrokers: settings.KAFKA_BROKERS ?? null,
    kafkaTopicPrefix: settings.KAFKA_TOPIC_PREFIX ?? 'chipledger',
    kafkaReplicationFactor,
    kafkaMinInsyncReplicas,
    projectionMaxLag: settings.PROJECTION_MAX_LAG ?? 10_000,
    jwtSecret: settings.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    jwtSecretIsDevelopmentDefault: settings.JWT_SECRET === undefined,
    dataDir: settings.CHIPLEDGER_DATA_DIR ?? 'data',
    production,
    log: { level: settings.LOG_LEVEL ?? 'info', format: logFormat },
    metricsToken: settings.METRICS_TOKEN ?? null,
    ...toConfig(settings),
  };
}

/** Coloured lines only for a developer at a terminal; JSON everywhere else (files, pipes, containers, CI). */
function defaultLogFormat(production: boolean): 'json' | 'pretty' {
  return !production && process.stdout.isTTY === true && prettyPrinterInstalled() ? 'pretty' : 'json';
}

function prettyPrinterInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** The settings a service of the distributed form cannot run without. */
export type DistributedConfig = AppConfig & { readonly databaseUrl: string; readonly kafkaBrokers: string[] };

export function requireDistributed<C extends AppConfig>(config: C, service: string): C & DistributedConfig {
  const { databaseUrl, kafkaBrokers } = config;
  if (!databaseUrl || !kafkaBrokers) {
    throw new InvalidConfigError([`${service} needs DATABASE_URL and KAFKA_BROKERS (\`npm start\` runs the embedded form without them)`]);
  }
  return { ...config, databaseUrl, kafkaBrokers };
}
