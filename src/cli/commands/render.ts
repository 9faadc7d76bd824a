/**
 * `launchpad render <root-or-app.yaml>`: the manifests every application of the tree would apply, as one YAML stream
 * (or JSON, or one file per resource with --out). Exit 0 when every application rendered, 1 when one failed (all
 * the others are still rendered and printed), 2 on usage or configuration errors.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { InputError } from '../../errors.js';
import type { KubeObject } from '../../model/resource.js';
import type { LoadedPolicy } from '../../policy/api.js';
import { readPolicies } from '../../policy/files.js';
import { admissionRules, admitRenderedTrees } from '../../policy/report-render.js';
import type { AppAdmission } from '../../policy/report-render.js';
import type { RenderTree } from '../../render/types.js';
import { ExitCode, EXIT } from '../exit.js';
import { toYaml } from '../output/yaml.js';
import { addRenderOptions, openRenderSession } from '../render-session.js';
import { reportProblems } from '../report.js';
import { applyReport } from './policy.js';

interface RenderFlags {
  readonly config?: string;
  readonly offline?: boolean;
  readonly out?: string;
  readonly output: 'yaml' | 'json';
  readonly policies?: string;
}

function yamlStream(trees: readonly RenderTree[]): string {
  const parts: string[] = [];
  for (const tree of trees) {
    for (const app of tree.apps) {
      if (app.status === 'skipped') continue;
      for (const object of app.resources) parts.push(`---\n# Application: ${app.name}\n${toYaml(object)}`);
    }
  }
  return parts.join('');
}

function jsonDocument(trees: readonly RenderTree[], admissions: readonly AppAdmission[] | undefined): string {
  const applications = trees.flatMap((tree) =>
    tree.apps.map((app) => ({
      name: app.name, root: tree.rootFile, parent: app.parent ?? null, status: app.status, message: app.message,
      sources: app.sources, warnings: app.warnings, errors: app.errors, resources: app.resources,
    })),
  );
  // The `policies` key appears only with --policies, so the document without it is unchanged.
  const policies = admissions?.map(({ app, resource, result }) => ({
    application: app, resource, allowed: result.allowed, denials: result.denials, warnings: result.warnings, rules: admissionRules(result),
  }));
  return `${JSON.stringify(policies === undefined ? { applications } : { applications, policies }, null, 2)}\n`;
}

async function readPolicyDir(dir: string): Promise<LoadedPolicy[]> {
  const policies = await readPolicies([dir]);
  if (policies.length === 0) throw new InputError({ file: dir }, 'contains no Kyverno policies', { fix: 'pass a folder with ClusterPolicy/Policy files to --policies' });
  return policies;
}

/** The per-rule report on stderr, so stdout stays a valid YAML stream; objects no rule applies to are left out. */
function policyReport(admissions: readonly AppAdmission[]): string {
  const applied = admissions.filter(({ result }) => admissionRules(result).length > 0).map(({ app, resource, result }) => ({ resource: `${resource} (application ${app})`, result }));
  return `policies:\n${applyReport(applied)}`;
}

/** `<Kind>_<namespace>_<name>.yaml`; cluster-scoped objects have an empty namespace part. */
export function resourceFileName(object: KubeObject): string {
  const safe = (text: string): string => text.replace(/[^A-Za-z0-9._-]/g, '-');
  return `${safe(object.kind)}_${safe(object.metadata.namespace ?? '')}_${safe(object.metadata.name ?? '')}.yaml`;
}

async function writeTree(outDir: string, trees: readonly RenderTree[]): Promise<void> {
  for (const app of trees.flatMap((tree) => tree.apps)) {
    const dir = join(outDir, app.name);
    await rm(dir, { recursive: true, force: true });
    if (app.resources.length === 0) continue;
    await mkdir(dir, { recursive: true });
    for (const object of app.resources) await writeFile(join(dir, resourceFileName(object)), toYaml(object));
  }
}

export function registerRender(program: Command): void {
  addRenderOptions(program.command('render'))
    .description('render every application of a root (app-of-apps) or single Application file, offline-capable')
    .argument('<files...>', 'root or Application YAML files')
    .option('--out <dir>', 'write <dir>/<app>/<Kind>_<namespace>_<name>.yaml instead of printing')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('--policies <dir>', 'evaluate every rendered object against the Kyverno policies in <dir> (admission CREATE); exit 1 when an Enforce rule fails')
    .action(async (files: string[], flags: RenderFlags) => {
      const policies = flags.policies === undefined ? undefined : await readPolicyDir(flags.policies);
      const session = await openRenderSession(files, flags);
      const trees: RenderTree[] = [];
      for (const file of files) trees.push(await session.render(file));
      const admissions = policies === undefined ? undefined : await admitRenderedTrees(policies, trees);
      const json = flags.output === 'json' && flags.out === undefined;
      if (flags.out !== undefined) await writeTree(flags.out, trees);
      else process.stdout.write(json ? jsonDocument(trees, admissions) : yamlStream(trees));
      if (admissions !== undefined && !json) process.stderr.write(policyReport(admissions));
      const refused = admissions?.some(({ result }) => !result.allowed) === true;
      const code = reportProblems(trees, session.warnings);
      if (code !== EXIT.ok) throw new ExitCode(code);
      if (refused) throw new ExitCode(EXIT.failed);
    });
}
