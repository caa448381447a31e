// `npm start` builds the web UI when dist/web is missing or older than its sources, so a fresh clone needs no extra
// step and a restart without changes costs nothing.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const out = 'dist/web/index.html';
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const sourcesAt = Math.max(newest('web'), newest('common'), statSync('vite.config.ts').mtimeMs);
if (!existsSync(out) || statSync(out).mtimeMs < sourcesAt) {
  process.stderr.write('Building the web interface (vite build)…\n');
  execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
}
