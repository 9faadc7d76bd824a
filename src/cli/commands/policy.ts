/**
 * `launchpad policy test <dir>`: runs every kyverno-test.yaml under a folder like `kyverno test` — a table of
 * ID, policy, rule, resource, result and reason; exit 1 on any mismatch, 2 when there is nothing to run.
 *
 * `launchpad policy apply <policies…> --resource <files…>`: each resource through the policies as an admission CREATE
 * (mutate, then validate the mutated object); one line per rule that applied; exit 1 when an Enforce rule fails.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { InputError } from '../../errors.js';
import { admit } from '../../policy/admission.js';
import type { AdmissionResult, KubeObject, LoadedPolicy, RuleResult } from '../../policy/api.js';
import { readObjects, readPolicies, isPolicyObject } from '../../policy/files.js';
import { findTestFiles, runTestFile } from '../../policy/test-run.js';
import type { TestCaseResult } from '../../policy/test-run.js';
import { resourceName } from '../../policy/rule-runner.js';
import { EXIT, ExitCode } from '../exit.js';
import { formatTable } from '../output/table.js';

const STATUS_WORD: Readonly<Record<string, string>> = { pass: 'Pass', fail: 'Fail', skip: 'Skip', warn: 'Warn', error: 'Error', '-': '-' };

export function testTable(rows: readonly TestCaseResult[]): string {
  const body = rows.map((row, index) => [String(index + 1), row.policy, row.rule, row.resource, STATUS_WORD[row.actual] ?? row.actual, row.reason]);
  return formatTable(['ID', 'POLICY', 'RULE', 'RESOURCE', 'RESULT', 'REASON'], body);
}

function registerTest(policy: Command): void {
  policy
    .command('test')
    .description('run Kyverno CLI test files (kyverno-test.yaml) found under a folder, as `kyverno test` does')
    .argument('<dir>', 'folder (searched recursively) or a kyverno-test.yaml')
    .option('--fail-only', 'print only the rows that do not match')
    .action(async (dir: string, flags: { readonly failOnly?: boolean }) => {
      const files = await findTestFiles(dir);
      if (files.length === 0) throw new InputError({ file: dir }, 'contains no kyverno-test.yaml', { fix: 'pass a folder with Kyverno CLI test files' });
      let passed = 0;
      let failed = 0;
      for (const file of files) {
        const rows = await runTestFile(file);
        passed += rows.filter((row) => row.passed).length;
        failed += rows.filter((row) => !row.passed).length;
        const shown = flags.failOnly === true ? rows.filter((row) => !row.passed) : rows;
        process.stdout.write(`Loading test ( ${file} ) ...\n`);
        if (shown.length > 0) process.stdout.write(testTable(shown));
        process.stdout.write('\n');
      }
      process.stdout.write(`Test Summary: ${passed} tests passed and ${failed} tests failed\n`);
      if (failed > 0) throw new ExitCode(EXIT.failed);
    });
}

export interface AppliedResource {
  readonly resource: string;
  readonly result: AdmissionResult;
}

export async function applyPolicies(policies: readonly LoadedPolicy[], objects: readonly KubeObject[]): Promise<AppliedResource[]> {
  const applied: AppliedResource[] = [];
  for (const object of objects) applied.push({ resource: resourceName(object), result: await admit(policies, { operation: 'CREATE', object }) });
  return applied;
}

function ruleLine(rule: RuleResult): string {
  const action = rule.type === 'validate' ? ` (${rule.action})` : '';
  return `  ${rule.status.toUpperCase().padEnd(5)} ${rule.policy}/${rule.rule}${action}${rule.message === '' ? '' : `: ${rule.message}`}\n`;
}

export function applyReport(applied: readonly AppliedResource[]): string {
  const all = applied.flatMap(({ result }) => [...result.mutation.rules, ...result.rules]);
  const count = (status: string): number => all.filter((rule) => rule.status === status).length;
  const lines = applied.map(({ resource, result }) => `${resource}\n${[...result.mutation.rules, ...result.rules].map(ruleLine).join('') || '  (no rule applies)\n'}`);
  return `${lines.join('')}\npass: ${count('pass')}, fail: ${count('fail')}, warn: ${count('warn')}, error: ${count('error')}, skip: ${count('skip')}\n`;
}

function applyJson(applied: readonly AppliedResource[]): string {
  const resources = applied.map(({ resource, result }) => ({
    resource,
    allowed: result.allowed,
    denials: result.denials,
    warnings: result.warnings,
    rules: [...result.mutation.rules, ...result.rules],
    patch: result.mutation.patch,
  }));
  return `${JSON.stringify({ resources }, null, 2)}\n`;
}

function registerApply(policy: Command): void {
  policy
    .command('apply')
    .description('apply policies to resources offline (admission CREATE: mutate, then validate); exit 1 when an Enforce rule fails')
    .argument('<policies...>', 'policy files or folders (other kinds in them are ignored)')
    .requiredOption('-r, --resource <files...>', 'resource files or folders')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (paths: string[], flags: { readonly resource: string[]; readonly output: 'text' | 'json' }) => {
      const policies = await readPolicies(paths);
      if (policies.length === 0) throw new InputError({ file: paths.join(', ') }, 'contains no Kyverno policies', { fix: 'pass ClusterPolicy/Policy files or folders' });
      const objects = (await readObjects(flags.resource, 'check the --resource path')).map((entry) => entry.object).filter((object) => !isPolicyObject(object));
      const applied = await applyPolicies(policies.filter((loaded) => loaded.schedule === undefined), objects);
      process.stdout.write(flags.output === 'json' ? applyJson(applied) : applyReport(applied));
      if (applied.some(({ result }) => !result.allowed)) throw new ExitCode(EXIT.failed);
    });
}

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('Kyverno-compatible policies offline: run kyverno-test.yaml suites, apply policies to resources');
  registerTest(policy);
  registerApply(policy);
}
