import { createSecretKey } from 'node:crypto';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ConfigModule, getConfigToken, registerAs } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import type { AppConfig } from './config/app-config';
import { loggerParams } from './logging/app-logger';
import { setupOpenApi } from './openapi/openapi';
import { ProblemDetailsFilter } from './problem/problem-details.filter';
import { PositionSigner } from './read-your-writes/position-token';
import { createValidationPipe } from './problem/validation';
import { jsonRequestBody } from './request-body/json-body';

export const APP_CONFIG = Symbol('APP_CONFIG');
/** `@nestjs/config` namespace of the validated settings: `ConfigService.get('app.port')`, or inject `getConfigToken('app')`. */
export const APP_CONFIG_NAMESPACE = 'app';
/** The PositionSigner of read-your-writes tokens (keyed from the JWT secret every service shares). */
export const POSITION_SIGNER = Symbol('POSITION_SIGNER');

/**
 * HTTP conventions every service shares: bearer-token authentication with roles, DTO validation, and
 * problem+json for every error; the validated configuration (`@nestjs/config`) and structured logs with one
 * line per request (nestjs-pino). Import once in each app's root module.
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
      imports: [
        // The settings were validated before the modules were composed (they choose the adapters); @nestjs/config
        // serves them to providers, and never reads process.env behind the schema's back (skipProcessEnv).
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validatePredefined: false,
          skipProcessEnv: true,
          load: [registerAs(APP_CONFIG_NAMESPACE, () => config)],
        }),
        LoggerModule.forRoot(loggerParams(config)),
        JwtModule.register({ secretOrKeyProvider: () => key, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
      ],
      providers: [
        { provide: APP_CONFIG, useExisting: getConfigToken(APP_CONFIG_NAMESPACE) },
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
