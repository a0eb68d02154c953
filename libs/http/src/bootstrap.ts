import { type INestApplication, Logger, type NestApplicationOptions, type Type, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from './config/app-config';
import { serveDashboard } from './dashboard/serve-dashboard';
import { configureHttpApp } from './http-platform.module';
import { useAppLogger } from './logging/app-logger';

/**
 * Options every app is created with, in production and in tests alike. Literal paths are routed before parametric
 * ones whatever module declared them (e.g. GET /events/stream before GET /events/{eventId}).
 */
export const HTTP_APP_OPTIONS: NestApplicationOptions = { routeResolutionStrategy: 'specificity' };

/**
 * Create, configure and start a service's HTTP app; returns it listening. `dashboard: true` also serves the
 * dashboard's built bundle at `/` (the standalone app and the projection service do).
 */
export async function startHttpApp(
  rootModule: Type<unknown> | DynamicModule,
  config: AppConfig,
  service: { name: string; title: string; description: string; dashboard?: boolean },
): Promise<INestApplication> {
  // Nest logs through pino from its first line (module initialisation included), as JSON unless at a terminal.
  // bodyParser: false: configureHttpApp installs the one JSON parser (limits, 413/415 as problems).
  const app = await NestFactory.create(rootModule, { ...HTTP_APP_OPTIONS, logger: useAppLogger(config), bodyParser: false });
  configureHttpApp(app, { title: service.title, description: service.description });
  if (service.dashboard) serveDashboard(app);
  await app.listen(config.port, config.host);
  const logger = new Logger('Bootstrap');
  // The port bound, not the one asked for: PORT=0 lets the OS choose, and whoever started the service reads it here.
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.log(`${service.name} listening on http://${config.host}:${port} (${service.dashboard ? 'dashboard: /, ' : ''}OpenAPI: /openapi.json, docs: /docs, metrics: /metrics)`);
  if (config.jwtSecretIsDevelopmentDefault) {
    logger.warn('JWT_SECRET is not set: using the public development secret. Mint a token with `npm run cli -- token --role operator --org <id>`.');
  }
  return app;
}
