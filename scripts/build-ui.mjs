#!/usr/bin/env node
// Builds the browser UI (ui/) into dist/ui, the folder `launchpad controller` serves at /: ui/src/main.tsx bundled
// and minified by esbuild into app.js (one file: no inline scripts, as the CSP requires), with app.css and
// index.html copied beside it. Takes well under a second. Types are checked by `npm run typecheck`.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const out = `${root}dist/ui`;

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [`${root}ui/src/main.tsx`],
  outfile: `${out}/app.js`,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: `${root}ui/tsconfig.json`,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
await copyFile(`${root}ui/index.html`, `${out}/index.html`);
await copyFile(`${root}ui/styles.css`, `${out}/app.css`);
