/**
 * The upstream charts of the example platform: a Helm repository folder (index.yaml + packaged charts) that CI
 * machines hold at `<repository>/../shared/charts`, mapped by examples/platform/launchpad.upstream.yaml. Tests that
 * need it run when it is there and say why they skip when it is not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { list, PLATFORM_DIR, text } from './helpers.js';

export const UPSTREAM_CHARTS_DIR = resolve(PLATFORM_DIR, '../../../shared/charts');
export const UPSTREAM_CONFIG = join(PLATFORM_DIR, 'launchpad.upstream.yaml');

/** Undefined when the folder is there; else the reason to give for skipping. */
export function upstreamChartsMissing(): string | undefined {
  if (existsSync(join(UPSTREAM_CHARTS_DIR, 'index.yaml'))) return undefined;
  return `no upstream chart repository at ${UPSTREAM_CHARTS_DIR} (index.yaml + packaged charts): the infra applications are not rendered`;
}

/** The chart repository URLs launchpad.upstream.yaml maps beyond launchpad.yaml, each with its `charts:` (if any). */
export function upstreamChartRepositories(): Map<string, readonly string[] | undefined> {
  const urls = (file: string): unknown[] => list(parse(readFileSync(join(PLATFORM_DIR, file), 'utf8')), 'repositories');
  const base = new Set(urls('launchpad.yaml').map((entry) => text(entry, 'url')));
  const mapped = new Map<string, readonly string[] | undefined>();
  for (const entry of urls('launchpad.upstream.yaml')) {
    const url = text(entry, 'url');
    if (base.has(url)) continue;
    const charts = (entry as { charts?: string[] }).charts;
    mapped.set(url, charts);
  }
  return mapped;
}
