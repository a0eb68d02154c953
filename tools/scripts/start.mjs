#!/usr/bin/env node
// `npm start`: run the standalone app (every module in one process) straight from the TypeScript sources.
// SWC compiles on load, keeping the decorator metadata Nest's dependency injection needs.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = process.argv[2] ?? 'apps/standalone/src/main.ts';

const child = spawn(process.execPath, ['--enable-source-maps', '-r', '@swc-node/register', path.join(root, entry)], {
  cwd: root,
  stdio: 'inherit',
  env: { SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'), ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
