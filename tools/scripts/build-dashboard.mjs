#!/usr/bin/env node
// `npm start` runs this first: it builds the dashboard (the same Vite build as `nx build dashboard`) when the bundle
// is missing or older than its sources, so a fresh clone serves the page at / with nothing else to run. A failed
// build does not stop the start: the API runs, and / says how to build the page.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const app = path.join(root, 'apps/dashboard');
const built = path.join(root, 'dist/apps/dashboard/index.html');

/** Newest modification time under `entry` (a file or a folder). */
function newest(entry) {
  const stats = statSync(entry, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
}

const sources = Math.max(newest(path.join(app, 'src')), newest(path.join(app, 'index.html')), newest(path.join(app, 'vite.config.mts')), newest(path.join(root, 'package-lock.json')));
const bundle = statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0;

if (bundle < sources) {
  console.log(bundle === 0 ? 'Building the dashboard (first start, a few seconds)…' : 'The dashboard changed since its last build: rebuilding…');
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(app, 'vite.config.mts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status === 0) console.log(`Dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s (dist/apps/dashboard).`);
  else console.error('The dashboard did not build: the API starts anyway; run `npx nx build dashboard` to see why.');
}
