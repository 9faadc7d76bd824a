/**
 * From one generator to parameter sets, as Argo CD's Transform: the generator's own `template` is merged over the
 * set's, a nested generator is first interpolated with the parameters of the one before it (matrix), the generator
 * runs, and `selector` keeps the sets whose flattened parameters it matches. Matrix and merge combine two or more
 * child generators and nest one level, as Argo CD allows.
 */
import { LaunchpadError } from '../errors.js';
import { describeError } from '../errors.js';
import { isPlainObject } from '../model/values.js';
import { GeneratorSkipped } from './context.js';
import type { GeneratorContext } from './context.js';
import { clusterDecisionParams } from './generators/cluster-decision.js';
import { clusterParamsOf } from './generators/clusters.js';
import { gitParams } from './generators/git.js';
import { listParams } from './generators/list.js';
import { pullRequestParams } from './generators/pull-request.js';
import { scmProviderParams } from './generators/scm-provider.js';
import { combineMatrix, mergeParamSets } from './combine.js';
import { cloneJson, flattenParams, mergeFillEmpty } from './params.js';
import type { Params } from './params.js';
import { deepReplace, replaceString } from './render.js';
import type { TemplateMode } from './render.js';
import { readSelector, selectorMatches } from './selector.js';

/** The generator kinds, in Argo CD's field order. */
export const GENERATOR_KINDS = ['list', 'clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'matrix', 'merge', 'plugin'] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

export interface TransformInput {
  readonly context: GeneratorContext;
  readonly mode: TemplateMode;
  /** 0 for `spec.generators[i]`, 1 inside a matrix or merge, 2 inside a nested one. */
  readonly depth: number;
  /** Generators that could not run here (offline) and why; their parameter sets are empty. */
  readonly skipped: string[];
}

export interface TransformResult {
  readonly kind: GeneratorKind;
  readonly params: Params[];
  /** The generator's template merged over the set's (per-generator override). */
  readonly template: unknown;
}

type Terminal = (spec: Readonly<Record<string, unknown>>, input: TransformInput, where: string) => Promise<Params[]>;

const TERMINAL: Readonly<Record<string, Terminal>> = {
  list: (spec, input, where) => Promise.resolve(listParams(spec, input.mode.goTemplate, where)),
  clusters: (spec, input, where) => clusterParamsOf(spec, input.context, input.mode, where),
  git: (spec, input, where) => gitParams(spec, input.context, input.mode, where),
  scmProvider: (spec, input, where) => scmProviderParams(spec, input.context, input.mode, where),
  clusterDecisionResource: (spec, input, where) => clusterDecisionParams(spec, input.context, input.mode, where),
  pullRequest: (spec, input, where) => pullRequestParams(spec, input.context, input.mode, where),
};

/** Generator kinds present in a generator object (Argo CD runs each one it finds). */
export function kindsOf(generator: Readonly<Record<string, unknown>>): GeneratorKind[] {
  return GENERATOR_KINDS.filter((kind) => generator[kind] !== undefined && generator[kind] !== null);
}

/**
 * A nested generator rendered with the parameters of the generator before it. `values` maps resolve what they can
 * and keep placeholders whose keys are missing, so they still see their own generator's parameters later.
 */
function interpolate(generator: Readonly<Record<string, unknown>>, params: Readonly<Params>, mode: TemplateMode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [kind, spec] of Object.entries(generator)) {
    if (!isPlainObject(spec) || kind === 'selector') {
      out[kind] = deepReplace(spec, params, mode);
      continue;
    }
    const { values, ...rest } = spec;
    const rendered = deepReplace(rest, params, mode) as Record<string, unknown>;
    if (isPlainObject(values)) {
      const strict: TemplateMode = { ...mode, missingKey: 'error' };
      rendered.values = Object.fromEntries(Object.entries(values).map(([key, value]) => {
        if (typeof value !== 'string') return [key, value];
        try {
          return [key, replaceString(value, params, strict)];
        } catch (error) {
          if (/map has no entry for key|can't evaluate field|no entry for key/.test(describeError(error))) return [key, value];
          throw error;
        }
      }));
    }
    out[kind] = rendered;
  }
  return out;
}

async function runKind(kind: GeneratorKind, spec: Readonly<Record<string, unknown>>, input: TransformInput, where: string): Promise<Params[]> {
  if (kind === 'matrix' || kind === 'merge') {
    if (input.depth >= 2) throw new LaunchpadError(`${where}: a ${kind} generator can only be nested one level inside another matrix or merge (Argo CD's limit)`, { fix: 'flatten the generators' });
    const children = Array.isArray(spec.generators) ? spec.generators : [];
    if (!children.every(isPlainObject)) throw new LaunchpadError(`${where}.generators must be a list of generators`);
    return kind === 'matrix' ? combineMatrix(children, input, where, childParams) : mergeParamSets({ generators: children, mergeKeys: spec.mergeKeys }, input, where, childParams);
  }
  if (kind === 'plugin') throw new LaunchpadError(`${where}: the plugin generator is not supported by Launchpad`, { fix: 'use list, clusters, git, matrix, merge, pullRequest, scmProvider or clusterDecisionResource' });
  const run = TERMINAL[kind];
  if (run === undefined) throw new LaunchpadError(`${where}: unknown generator ${kind}`);
  try {
    return await run(spec, input, where);
  } catch (error) {
    if (error instanceof GeneratorSkipped) {
      input.skipped.push(error.reason);
      return [];
    }
    throw error;
  }
}

/** Transform of a nested generator (matrix/merge child): exactly one kind, parameters only. */
async function childParams(generator: Readonly<Record<string, unknown>>, input: TransformInput, where: string, params: Readonly<Params> | undefined): Promise<Params[]> {
  const results = await transform(generator, {}, { ...input, depth: input.depth + 1 }, { where, ...(params === undefined ? {} : { params }) });
  if (results.length === 0) throw new LaunchpadError(`${where}: child generator generated no parameters (it names no generator Launchpad knows)`);
  if (results.length > 1) throw new LaunchpadError(`${where}: found more than one generator in a matrix or merge child`, { fix: 'put each generator in its own list item' });
  return results[0]?.params ?? [];
}

export async function transform(
  generator: Readonly<Record<string, unknown>>,
  baseTemplate: unknown,
  input: TransformInput,
  at: { readonly where: string; readonly params?: Readonly<Params> },
): Promise<TransformResult[]> {
  const selector = readSelector(generator.selector, `${at.where}.selector`);
  const effective = at.params !== undefined && Object.keys(at.params).length > 0 ? interpolate(generator, at.params, input.mode) : generator;
  const results: TransformResult[] = [];
  for (const kind of kindsOf(effective)) {
    const spec = effective[kind];
    const where = `${at.where}.${kind}`;
    if (!isPlainObject(spec)) throw new LaunchpadError(`${where} must be a mapping`);
    const template = mergeFillEmpty(cloneJson(isPlainObject(spec.template) ? spec.template : {}), baseTemplate);
    const params = await runKind(kind, spec, input, where);
    results.push({ kind, template, params: selector === undefined ? params : params.filter((set) => selectorMatches(selector, flattenParams(set))) });
  }
  return results;
}
