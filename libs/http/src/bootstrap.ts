import { type INestApplication, Logger, type NestApplicationOptions, type Type, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from './config/app-config';
import { configureHttpApp } from './http-platform.module';

/**
 * Options every app is created with, in production and in tests alike. Literal paths are routed before parametric
 * ones whatever module declared them (e.g. GET /events/stream before GET /events/{eventId}).
 */
export const HTTP_APP_OPTIONS: NestApplicationOptions = { routeResolutionStrategy: 'specificity' };

/** Create, configure and start a service's HTTP app; returns it listening. */
export async function startHttpApp(
  rootModule: Type<unknown> | DynamicModule,
  config: AppConfig,
  service: { name: string; title: string; description: string },
): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule, { ...HTTP_APP_OPTIONS, bufferLogs: false });
  configureHttpApp(app, { title: service.title, description: service.description });
  await app.listen(config.port, config.host);
  const logger = new Logger('Bootstrap');
  logger.log(`${service.name} listening on http://${config.host}:${config.port} (OpenAPI: /openapi.json, docs: /docs)`);
  if (config.jwtSecretIsDevelopmentDefault) {
    logger.warn('JWT_SECRET is not set: using the public development secret. Mint a token with `npm run cli -- token --role operator --org <id>`.');
  }
  return app;
}
