import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument, loadConfig } from '@chip-ledger/http';
import { STANDALONE_API_INFO } from './api-info';
import { StandaloneModule } from './standalone.module';

/**
 * The standalone app's OpenAPI document, built without a database: `preview` resolves the module graph and
 * instantiates nothing (no pool, no relay, no projector), which is all the document needs.
 */
export async function standaloneOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({});
  const app = await NestFactory.create(StandaloneModule.forRoot({ ...config, databaseUrl: 'postgres://unused.invalid/none' }), {
    preview: true,
    logger: ['error'],
    bodyParser: false,
  });
  try {
    return buildOpenApiDocument(app, STANDALONE_API_INFO);
  } finally {
    await app.close();
  }
}
