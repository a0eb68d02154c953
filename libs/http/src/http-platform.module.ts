import { createSecretKey } from 'node:crypto';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import type { AppConfig } from './config/app-config';
import { setupOpenApi } from './openapi/openapi';
import { ProblemDetailsFilter } from './problem/problem-details.filter';
import { PositionSigner } from './read-your-writes/position-token';
import { createValidationPipe } from './problem/validation';
import { jsonRequestBody } from './request-body/json-body';

export const APP_CONFIG = Symbol('APP_CONFIG');
/** The PositionSigner of read-your-writes tokens (keyed from the JWT secret every service shares). */
export const POSITION_SIGNER = Symbol('POSITION_SIGNER');

/**
 * HTTP conventions every service shares: bearer-token authentication with roles, DTO validation, and
 * problem+json for every error. Import once in each app's root module.
 */
@Module({})
export class HttpPlatformModule {
  static forRoot(config: AppConfig): DynamicModule {
    // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as a
    // public key on every verify, about 1 ms of CPU per request.
    const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    return {
      module: HttpPlatformModule,
      global: true,
      imports: [JwtModule.register({ secretOrKeyProvider: () => key, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } })],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: POSITION_SIGNER, useValue: new PositionSigner(config.jwtSecret) },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [APP_CONFIG, POSITION_SIGNER, JwtModule],
    };
  }
}

/**
 * App-level settings that modules cannot set: the JSON body parser, OpenAPI, shutdown hooks, no framework
 * banner header. Create the app with `bodyParser: false`: the parser here is the only one.
 */
export function configureHttpApp(app: INestApplication, openApi: { title: string; description: string }): void {
  app.enableShutdownHooks();
  app.use(jsonRequestBody());
  // Answers need not name the framework they run on (Express adds `X-Powered-By: Express` by default).
  const server = app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void };
  server.disable?.('x-powered-by');
  setupOpenApi(app, openApi.title, openApi.description);
}
