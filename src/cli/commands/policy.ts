/**
 * `launchpad policy test <dir>`: runs every kyverno-test.yaml under a folder like `kyverno test` — a table of
 * ID, policy, rule, resource, result and reason; exit 1 on any mismatch, 2 when there is nothing to run.
 *
 * `launchpad policy apply <policies…> --resource <files…> [--userinfo <file>]`: each resource through the policies as
 * an admission CREATE (mutate, then validate the mutated object) by the given requester; one line per rule that
 * applied; exit 1 when an Enforce rule fails.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { InputError } from '../../errors.js';
import { admit } from '../../policy/admission.js';
import type { AdmissionResult, KubeObject, LoadedPolicy, MutateExistingResult, RuleResult, UserInfo } from '../../policy/api.js';
import { mutateExistingOffline, patchedTargetsYaml } from '../../policy/mutate-existing-offline.js';
import { readObjects, readPolicies, isPolicyObject } from '../../policy/files.js';
import { findTestFiles, runTestFile } from '../../policy/test-run.js';
import type { TestCaseResult } from '../../policy/test-run.js';
import { resourceName } from '../../policy/rule-runner.js';
import { readUserInfoFile } from '../../policy/userinfo-file.js';
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
  /** Mutate-existing rules with this resource as the trigger: results per target and the patched targets. */
  readonly existing?: MutateExistingResult;
}

/** Each object admitted as a CREATE by `userInfo` (Kyverno CLI's --userinfo), when given. */
export async function applyPolicies(policies: readonly LoadedPolicy[], objects: readonly KubeObject[], userInfo?: UserInfo, targets: readonly KubeObject[] = []): Promise<AppliedResource[]> {
  const applied: AppliedResource[] = [];
  for (const object of objects) {
    const result = await admit(policies, { operation: 'CREATE', object, ...(userInfo === undefined ? {} : { userInfo }) });
    // Targets of mutate-existing rules come from --target-resource and the other resources, as with `kyverno apply`.
    const existing = await mutateExistingOffline(policies, { trigger: object, pool: [...targets, ...objects], ...(userInfo === undefined ? {} : { userInfo }) });
    applied.push({ resource: resourceName(object), result, ...(existing === undefined ? {} : { existing }) });
  }
  return applied;
}

const rulesOf = ({ result, existing }: AppliedResource): RuleResult[] => [...result.mutation.rules, ...result.rules, ...(existing?.rules ?? [])];

/** `onTarget`: a mutate-existing result about a target, not about the resource it is listed under. */
function ruleLine(rule: RuleResult, onTarget = false): string {
  const action = rule.type === 'validate' ? ` (${rule.action})` : '';
  const target = onTarget ? ` [target ${rule.resource}]` : '';
  return `  ${rule.status.toUpperCase().padEnd(5)} ${rule.policy}/${rule.rule}${action}${target}${rule.message === '' ? '' : `: ${rule.message}`}\n`;
}

export function applyReport(applied: readonly AppliedResource[]): string {
  const all = applied.flatMap(rulesOf);
  const count = (status: string): number => all.filter((rule) => rule.status === status).length;
  const lines = applied.map((entry) => {
    const own = [...entry.result.mutation.rules, ...entry.result.rules].map((rule) => ruleLine(rule));
    const targets = (entry.existing?.rules ?? []).map((rule) => ruleLine(rule, rule.resource !== entry.resource));
    return `${entry.resource}\n${[...own, ...targets].join('') || '  (no rule applies)\n'}`;
  });
  const patched = patchedTargetsYaml(applied.flatMap(({ existing }) => existing?.targets ?? []));
  return `${lines.join('')}${patched === '' ? '' : `\npatched targets:\n${patched}`}\npass: ${count('pass')}, fail: ${count('fail')}, warn: ${count('warn')}, error: ${count('error')}, skip: ${count('skip')}\n`;
}

function applyJson(applied: readonly AppliedResource[]): string {
  const resources = applied.map(({ resource, result, existing }) => ({
    resource,
    allowed: result.allowed,
    denials: result.denials,
    warnings: result.warnings,
    rules: [...result.mutation.rules, ...result.rules],
    patch: result.mutation.patch,
    ...(existing === undefined ? {} : { targetRules: existing.rules, patchedTargets: existing.targets.map((target) => ({ resource: resourceName(target.original), by: target.by, patch: target.patch, object: target.patched })) }),
  }));
  return `${JSON.stringify({ resources }, null, 2)}\n`;
}

function registerApply(policy: Command): void {
  policy
    .command('apply')
    .description('apply policies to resources offline (admission CREATE: mutate, then validate); exit 1 when an Enforce rule fails')
    .argument('<policies...>', 'policy files or folders (other kinds in them are ignored)')
    .requiredOption('-r, --resource <files...>', 'resource files or folders')
    .option('--target-resource <files...>', 'existing objects that mutate-existing rules (mutate.targets) may patch')
    .option('-u, --userinfo <file>', 'the requester as a Kyverno CLI UserInfo file (userInfo.username/groups, roles, clusterRoles)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (paths: string[], flags: { readonly resource: string[]; readonly output: 'text' | 'json'; readonly userinfo?: string; readonly targetResource?: string[] }) => {
      const policies = await readPolicies(paths);
      if (policies.length === 0) throw new InputError({ file: paths.join(', ') }, 'contains no Kyverno policies', { fix: 'pass ClusterPolicy/Policy files or folders' });
      const objects = (await readObjects(flags.resource, 'check the --resource path')).map((entry) => entry.object).filter((object) => !isPolicyObject(object));
      const userInfo = flags.userinfo === undefined ? undefined : await readUserInfoFile(flags.userinfo);
      const targets = (await readObjects(flags.targetResource ?? [], 'check the --target-resource path')).map((entry) => entry.object);
      const applied = await applyPolicies(policies.filter((loaded) => loaded.schedule === undefined), objects, userInfo, targets);
      process.stdout.write(flags.output === 'json' ? applyJson(applied) : applyReport(applied));
      if (applied.some(({ result }) => !result.allowed)) throw new ExitCode(EXIT.failed);
    });
}

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('Kyverno-compatible policies offline: run kyverno-test.yaml suites, apply policies to resources');
  registerTest(policy);
  registerApply(policy);
}
