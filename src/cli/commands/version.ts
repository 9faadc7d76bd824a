import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { activeRenderer, closeRenderHelper, parseRendererMode, setRendererMode } from '../../render/helper/renderer.js';

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('print the Launchpad version and which renderer runs helm template and kustomize build')
    .option('--renderer <mode>', 'the renderer to report on: process or helper (default: $LAUNCHPAD_RENDERER or helper)')
    .action(async (flags: { renderer?: string }) => {
      const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
      if (flags.renderer !== undefined) setRendererMode(parseRendererMode(flags.renderer, '--renderer'));
      const renderer = await activeRenderer();
      closeRenderHelper();
      process.stdout.write(`launchpad ${pkg.version}\nrenderer: ${renderer.mode} (${renderer.detail})\n`);
    });
}
