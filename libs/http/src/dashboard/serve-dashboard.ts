import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';

/**
 * Where `nx build dashboard` writes the bundle: from the sources (this file is libs/http/src/dashboard) it is the
 * workspace's dist/apps/dashboard; from a built app (dist/apps/<app>/main.js, this code bundled into it) it is the
 * sibling dist/apps/dashboard.
 */
export const DASHBOARD_BUILD_DIR = [path.resolve(__dirname, '../../../../dist/apps/dashboard'), path.resolve(__dirname, '../dashboard')].find((dir) =>
  existsSync(path.join(dir, 'index.html')),
) ?? path.resolve(__dirname, '../../../../dist/apps/dashboard');

/**
 * The page may load only its own scripts and talk only to its own origin. Inline styles stay allowed: ECharts
 * positions its tooltip and canvas with style attributes.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chip Ledger: dashboard not built</title></head>
<body><main><h1>The dashboard is not built</h1>
<p>The API is running (<a href="/docs">/docs</a>, <a href="/health">/health</a>), but this server found no dashboard bundle.
<code>npm start</code> builds it on its own; otherwise run <code>npx nx build dashboard</code> and reload this page.</p>
</main></body></html>`;

/**
 * Serves the dashboard's built bundle: `GET /` answers its index.html and `/assets/*` its hashed files, before and
 * apart from the API's routes (no catch-all: the page routes with the URL's fragment, so an unknown path stays the
 * API's 404 problem+json, and API requests never touch the disk). Without a bundle, `/` says how to build it.
 */
export function serveDashboard(app: INestApplication, dir = DASHBOARD_BUILD_DIR): void {
  const express = app as NestExpressApplication;
  (express.getHttpAdapter().getInstance() as Express).get('/', async (_request: Request, response: Response) => {
    let page: string;
    try {
      page = await readFile(path.join(dir, 'index.html'), 'utf8');
    } catch {
      response.status(404).type('html').set('Cache-Control', 'no-store').send(NOT_BUILT_PAGE);
      return;
    }
    // Read on every request (it is small): a rebuild while the server runs is served at once, never a stale index
    // naming assets that no longer exist.
    response
      .status(200)
      .type('html')
      .set({
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': DASHBOARD_CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(page);
  });
  // Vite names every asset by its content hash: a browser may keep them for good.
  express.useStaticAssets(path.join(dir, 'assets'), { prefix: '/assets/', index: false, immutable: true, maxAge: '365d', fallthrough: true });
}
