import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** The API's routes, for `nx serve dashboard` (a dev server in front of `npm start` on port 3000). */
const API_PATHS = ['/data-centers', '/fleet-mix', '/findings', '/export-licences', '/rentals', '/events', '/dev', '/health', '/audit', '/rules'];

// Vite wants its configuration as the default export.
export default defineConfig({
  root: here('.'),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../../dist/apps/dashboard'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 4200,
    proxy: Object.fromEntries(API_PATHS.map((path) => [path, { target: process.env['CHIPLEDGER_API'] ?? 'http://127.0.0.1:3000', changeOrigin: false }])),
  },
});
