import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { loadConfig } from '../config/app-config';
import { configureHttpApp, HttpPlatformModule } from '../http-platform.module';
import { DASHBOARD_CONTENT_SECURITY_POLICY, serveDashboard } from './serve-dashboard';

@Controller('things')
class ThingsController {
  @Get()
  list() {
    return { items: [] };
  }
}

describe('serveDashboard', () => {
  let bundle: string;

  const start = async (dir: string): Promise<INestApplication> => {
    const moduleRef = await Test.createTestingModule({ imports: [HttpPlatformModule.forRoot(loadConfig({}))], controllers: [ThingsController] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    configureHttpApp(app, { title: 'test', description: 'test' });
    serveDashboard(app, dir);
    await app.init();
    return app;
  };

  beforeAll(async () => {
    bundle = await mkdtemp(path.join(os.tmpdir(), 'dashboard-'));
    await mkdir(path.join(bundle, 'assets'));
    await writeFile(path.join(bundle, 'index.html'), '<!doctype html><title>Chip Ledger</title><script type="module" src="/assets/index-abc123.js"></script>');
    await writeFile(path.join(bundle, 'assets', 'index-abc123.js'), 'console.log(1)');
  });
  afterAll(() => rm(bundle, { recursive: true, force: true }));

  describe('with a built bundle', () => {
    let app: INestApplication;
    beforeAll(async () => (app = await start(bundle)));
    afterAll(() => app.close());

    it('answers / with the page, under a content security policy and revalidated on every load', async () => {
      const res = await request(app.getHttpServer()).get('/').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('/assets/index-abc123.js');
      expect(res.headers['content-security-policy']).toBe(DASHBOARD_CONTENT_SECURITY_POLICY);
      expect(res.headers['cache-control']).toBe('no-cache');
    });

    it('serves the hashed assets as immutable', async () => {
      const res = await request(app.getHttpServer()).get('/assets/index-abc123.js').expect(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cache-control']).toContain('immutable');
    });

    it("leaves every other path to the API: its authentication and its 404 problem+json, not the page", async () => {
      await request(app.getHttpServer()).get('/things').expect(401);
      for (const missing of ['/assets/nothing.js', '/fleet', '/assets/../index.html']) {
        const res = await request(app.getHttpServer()).get(missing);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    });
  });

  it('says how to build the bundle when there is none, and the API still runs', async () => {
    const app = await start(path.join(bundle, 'absent'));
    try {
      const res = await request(app.getHttpServer()).get('/').expect(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('npx nx build dashboard');
      await request(app.getHttpServer()).get('/things').expect(401);
    } finally {
      await app.close();
    }
  });
});
