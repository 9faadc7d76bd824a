/**
 * `launchpad tree <root.yaml>`: the application tree of a cluster root — name, wave, destination, sources at their
 * resolved revisions, resource count, status and message.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { RenderTree } from '../../render/types.js';
import { EXIT, ExitCode } from '../exit.js';
import { describeDestination, describeSources } from '../output/describe.js';
import { formatTable } from '../output/table.js';
import { addRenderOptions, openRenderSession } from '../render-session.js';
import { reportProblems } from '../report.js';

interface TreeFlags {
  readonly config?: string;
  readonly offline?: boolean;
  readonly output: 'table' | 'json';
}

export function treeTable(tree: RenderTree): string {
  const rows = tree.apps.map((app) => [
    `${'  '.repeat(app.depth)}${app.name}`,
    String(app.wave),
    describeDestination(app.destination),
    describeSources(app),
    String(app.resources.length),
    app.status,
    // The table gets the first line without the fix; stderr has the whole message.
    (app.message.split('\n')[0] ?? '').split(' — ')[0] ?? '',
  ]);
  return formatTable(['NAME', 'WAVE', 'DESTINATION', 'SOURCE', 'RESOURCES', 'STATUS', 'MESSAGE'], rows);
}

function treeJson(trees: readonly RenderTree[]): string {
  const roots = trees.map((tree) => ({
    root: tree.rootFile,
    errors: tree.errors,
    applications: tree.apps.map((app) => ({
      name: app.name, parent: app.parent ?? null, depth: app.depth, wave: app.wave, project: app.project,
      destination: app.destination, sources: app.sources, resources: app.resources.length, status: app.status,
      message: app.message, warnings: app.warnings, errors: app.errors, children: app.children,
    })),
  }));
  return `${JSON.stringify({ roots }, null, 2)}\n`;
}

export function registerTree(program: Command): void {
  addRenderOptions(program.command('tree'))
    .description('show the application tree of a root (app-of-apps) file: waves, destinations, sources, status')
    .argument('<files...>', 'root or Application YAML files')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (files: string[], flags: TreeFlags) => {
      const session = await openRenderSession(files, flags);
      const trees: RenderTree[] = [];
      for (const file of files) trees.push(await session.render(file));
      if (flags.output === 'json') process.stdout.write(treeJson(trees));
      // A root that could not be read has no table: stdout stays empty and stderr says why.
      else process.stdout.write(trees.filter((tree) => tree.apps.length > 0).map(treeTable).join('\n'));
      // The table already shows each application's status and message; stderr gets the details.
      const code = reportProblems(trees, session.warnings, { skips: false });
      if (code !== EXIT.ok) throw new ExitCode(code);
    });
}
