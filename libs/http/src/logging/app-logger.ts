import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger, type LoggerService } from '@nestjs/common';
import { Logger as PinoNestLogger, PinoLogger, type Params } from 'nestjs-pino';
import { stdTimeFunctions, type LevelWithSilent } from 'pino';
import type { Actor } from '@chip-ledger/domain';
import { InvalidConfigError, type AppConfig } from '../config/app-config';
import { assignRequestId } from './request-id';

/** Requests a scraper or an orchestrator repeats every few seconds: logged at debug when they succeed. */
const PROBE_PATHS = new Set(['/health', '/metrics']);

type LoggedRequest = IncomingMessage & { originalUrl?: string; route?: { path?: unknown }; actor?: Actor };

/** The route template Express matched (`/data-centers/:dataCenterId`), or null when none did (a 404). */
export function matchedRoute(request: object): string | null {
  const path = (request as LoggedRequest).route?.path;
  // A wildcard is the mount of a middleware (nestjs-pino's, for one), never an API route: nothing matched.
  return typeof path === 'string' && !path.includes('*') ? path : null;
}

/** The one line logged per request: who asked what, and how it went. No headers and no body (tokens, data). */
function requestLine(request: LoggedRequest, response: ServerResponse, latencyMs: number): Record<string, unknown> {
  return {
    method: request.method,
    route: matchedRoute(request),
    url: request.originalUrl ?? request.url,
    status: response.statusCode,
    latencyMs,
    actor: request.actor?.id ?? null,
    organisation: request.actor?.organisation ?? null,
    role: request.actor?.role ?? null,
  };
}

function requestLevel(request: LoggedRequest, response: ServerResponse, error?: Error): LevelWithSilent {
  const status = response.statusCode;
  // 503 is an answer the API gives by design (a dependency lost, a read-your-writes wait that ran out).
  if (error || (status >= 500 && status !== 503)) return 'error';
  if (status === 503) return 'warn';
  if (status < 400 && PROBE_PATHS.has((request.originalUrl ?? request.url ?? '').split('?')[0])) return 'debug';
  return 'info';
}

/**
 * nestjs-pino's settings: JSON lines (level names, ISO times, the service's name) on stdout, or pino-pretty's
 * coloured lines when `log.format` is `pretty` (a developer's terminal only: see `loadConfig`). pino-http logs one
 * line per request as it completes, under the request id it assigned ({@link assignRequestId}).
 */
export function loggerParams(config: AppConfig): Params {
  const message = (request: LoggedRequest, response: ServerResponse) => `${request.method} ${matchedRoute(request) ?? request.url} ${response.statusCode}`;
  return {
    pinoHttp: {
      level: config.log.level,
      base: { service: config.service, pid: process.pid, hostname: hostname() },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      ...(config.log.format === 'pretty'
        ? {
            transport: {
              target: 'pino-pretty',
              options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service,context', messageFormat: '{if context}[{context}] {end}{msg}', singleLine: true },
            },
          }
        : {}),
      genReqId: assignRequestId,
      customAttributeKeys: { reqId: 'requestId' },
      // Lines logged while handling a request carry its id only, not the whole request (headers hold tokens).
      quietReqLogger: true,
      quietResLogger: true,
      customLogLevel: requestLevel,
      customSuccessObject: (request, response, values: { responseTime: number }) => requestLine(request, response, values.responseTime),
      // The problem filter logs an unexpected error's stack (under the same request id); this line says how it ended.
      customErrorObject: (request, response, _error, values: { responseTime: number }) => requestLine(request, response, values.responseTime),
      customSuccessMessage: message,
      customErrorMessage: (request, response) => message(request, response),
    },
  };
}

/** Nest's start-up inventory (a line per module and per route, ~100 lines): debug, so info shows what happened. */
const FRAMEWORK_INVENTORY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

class AppLogger extends PinoNestLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    if (FRAMEWORK_INVENTORY.has(optionalParams.at(-1) as string)) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

let processLogger: LoggerService | null = null;

/**
 * The process's logger for Nest (`Logger` instances and the static `Logger.log`) over the same pino logger as
 * the request lines, set up once per process; call it before anything logs so no line goes out in Nest's
 * default format (which writes ANSI colour codes even into a pipe).
 */
export function useAppLogger(config: AppConfig): LoggerService {
  if (!processLogger) {
    const params = loggerParams(config);
    processLogger = new AppLogger(new PinoLogger(params), params);
    Logger.overrideLogger(processLogger);
  }
  return processLogger;
}

/**
 * The end of a `main` whose start-up failed: a configuration problem is one plain line on stderr (it is the
 * operator's to fix, and a stack trace would only hide it); anything else is logged with its stack. Exits 1.
 */
export function exitOnStartupFailure(error: unknown): never {
  // A setting to fix, or a start-up failure that says what to do (e.g. the embedded PostgreSQL's): its message alone.
  if (error instanceof InvalidConfigError || (error as { userFacing?: unknown } | null)?.userFacing === true) process.stderr.write(`${(error as Error).message}\n`);
  else if (processLogger) processLogger.fatal?.(error, 'Bootstrap');
  else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
