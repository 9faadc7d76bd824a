/**
 * `launchpad seal`: kubeseal's command line, flag for flag. Reads Secrets (YAML or JSON, several documents) from
 * -f or stdin and writes SealedSecrets that Bitnami's controller opens, and the reverse for disaster recovery.
 * Plaintext is only ever written by --recovery-unseal, to the output the user chose; errors name objects and keys.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { LaunchpadError } from '../../errors.js';
import { loadKubeconfig } from '../../kube/kubeconfig.js';
import type { LoadKubeconfigOptions } from '../../kube/kubeconfig.js';
import {
  DEFAULT_CONTROLLER_NAME, DEFAULT_CONTROLLER_NAMESPACE, SCOPES, fetchControllerCertificate, formatObject, mergeSealedSecrets,
  openControllerProxy, parseSealingCertificate, privateKeysFromText, readCertificateSource, readDocuments, reEncryptSealedSecret,
  sealRawValue, sealSecret, subjectOf, unsealSealedSecret,
} from '../../sealed/index.js';
import type { OutputFormat, SealedSecret, SealingScope, Secret, SourceDocument } from '../../sealed/index.js';
import type { KeyObject } from 'node:crypto';

interface SealFlags {
  readonly secretFile?: string;
  readonly cert?: string;
  readonly controllerNamespace: string;
  readonly controllerName: string;
  readonly fetchCert?: boolean;
  readonly scope?: SealingScope;
  readonly format?: OutputFormat;
  readonly sealedSecretFile?: string;
  readonly raw?: boolean;
  readonly fromFile?: string[];
  readonly name?: string;
  readonly namespace?: string;
  readonly mergeInto?: string;
  readonly reEncrypt?: boolean;
  readonly validate?: boolean;
  readonly recoveryUnseal?: boolean;
  readonly recoveryPrivateKey?: string[];
  readonly allowEmptyData?: boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), ...value.split(',').filter((v) => v !== '')];

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readInput(flags: SealFlags): Promise<{ readonly text: string; readonly source: string }> {
  if (flags.secretFile === undefined || flags.secretFile === '-') return { text: await readStdin(), source: '<stdin>' };
  try {
    return { text: await readFile(flags.secretFile, 'utf8'), source: flags.secretFile };
  } catch (error) {
    throw new LaunchpadError(`${flags.secretFile}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/** Writes the whole output at once, atomically for files, and only after everything succeeded. */
async function writeOutput(text: string, file: string | undefined): Promise<void> {
  if (file === undefined) {
    process.stdout.write(text);
    return;
  }
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { mode: 0o644 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function kubeconfigOptions(flags: SealFlags): LoadKubeconfigOptions {
  return { ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }), ...(flags.context === undefined ? {} : { context: flags.context }) };
}

/** The kubeconfig context's namespace, as kubeseal falls back to it; none when there is no kubeconfig. */
function contextNamespace(flags: SealFlags): string | undefined {
  try {
    return loadKubeconfig(kubeconfigOptions(flags)).namespace;
  } catch {
    return undefined;
  }
}

function controllerOf(flags: SealFlags): { readonly namespace: string; readonly name: string } {
  return { namespace: flags.controllerNamespace, name: flags.controllerName };
}

async function certificatePem(flags: SealFlags): Promise<{ readonly pem: string; readonly source: string }> {
  if (flags.cert !== undefined) return { pem: await readCertificateSource(flags.cert), source: flags.cert };
  const controller = controllerOf(flags);
  return { pem: await fetchControllerCertificate(controller, kubeconfigOptions(flags)), source: `Service/${controller.namespace}/${controller.name} /v1/cert.pem` };
}

async function publicKeyOf(flags: SealFlags): Promise<KeyObject> {
  const { pem, source } = await certificatePem(flags);
  return parseSealingCertificate(pem, source).publicKey;
}

async function privateKeysOf(flags: SealFlags): Promise<KeyObject[]> {
  const keys: KeyObject[] = [];
  for (const file of flags.recoveryPrivateKey ?? []) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new LaunchpadError(`--recovery-private-key ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
    keys.push(...privateKeysFromText(text, file));
  }
  return keys;
}

/** `Kind/namespace/name` of a document that is not what was expected. */
function describe(value: Record<string, unknown>): string {
  const kind = typeof value['kind'] === 'string' ? value['kind'] : '<no kind>';
  return subjectOf(kind, value['metadata'] as SealedSecret['metadata']);
}

function sealedSecretsOf(documents: readonly SourceDocument[], source: string): SealedSecret[] {
  if (documents.length === 0) throw new LaunchpadError(`${source}: no SealedSecret found`);
  return documents.map(({ value, line }) => {
    if (value['kind'] !== 'SealedSecret') {
      throw new LaunchpadError(`${source}:${line}: expected a SealedSecret, found ${describe(value)}`);
    }
    return value;
  });
}

function secretsOf(documents: readonly SourceDocument[], source: string): Secret[] {
  if (documents.length === 0) throw new LaunchpadError(`${source}: no Secret found`, { fix: 'pass a Secret as YAML or JSON on stdin or with -f' });
  return documents.map(({ value, line }) => {
    if (value['kind'] !== undefined && value['kind'] !== 'Secret') {
      throw new LaunchpadError(`${source}:${line}: expected a Secret, found ${describe(value)}`);
    }
    return value;
  });
}

function outputFormat(flags: SealFlags, file: string | undefined): OutputFormat {
  if (flags.format !== undefined) return flags.format;
  const ext = file === undefined ? '' : extname(file);
  return ext === '.yaml' || ext === '.yml' ? 'yaml' : 'json';
}

async function recoveryUnseal(flags: SealFlags, format: OutputFormat): Promise<string> {
  if ((flags.recoveryPrivateKey ?? []).length === 0) throw new LaunchpadError('--recovery-unseal needs --recovery-private-key <file>', { fix: 'pass the controller key (PEM or the key Secret as YAML/JSON)' });
  const keys = await privateKeysOf(flags);
  const { text, source } = await readInput(flags);
  return sealedSecretsOf(readDocuments(text, source), source).map((sealed) => formatObject(unsealSealedSecret(sealed, keys), format)).join('');
}

async function validate(flags: SealFlags): Promise<void> {
  const { text, source } = await readInput(flags);
  const sealed = sealedSecretsOf(readDocuments(text, source), source);
  if ((flags.recoveryPrivateKey ?? []).length > 0) {
    const keys = await privateKeysOf(flags);
    for (const one of sealed) unsealSealedSecret(one, keys); // throws naming the object and keys; prints nothing
    return;
  }
  const proxy = openControllerProxy(controllerOf(flags), kubeconfigOptions(flags));
  try {
    for (const one of sealed) {
      const response = await proxy.call('POST', '/v1/verify', JSON.stringify(one));
      if (response.status === 409) throw new LaunchpadError(`${subjectOf('SealedSecret', one.metadata)}: the controller cannot decrypt it`);
      if (response.status !== 200) throw new LaunchpadError(`${subjectOf('SealedSecret', one.metadata)}: cannot validate: the controller answered HTTP ${response.status}`);
    }
  } finally {
    proxy.close();
  }
}

async function reEncrypt(flags: SealFlags, format: OutputFormat): Promise<string> {
  const { text, source } = await readInput(flags);
  const sealed = sealedSecretsOf(readDocuments(text, source), source);
  if ((flags.recoveryPrivateKey ?? []).length > 0) {
    // Offline: open with the given keys, seal to --cert (or the controller's current certificate).
    const keys = await privateKeysOf(flags);
    const publicKey = await publicKeyOf(flags);
    return sealed.map((one) => formatObject(reEncryptSealedSecret(one, keys, publicKey), format)).join('');
  }
  const proxy = openControllerProxy(controllerOf(flags), kubeconfigOptions(flags));
  try {
    const parts: string[] = [];
    for (const one of sealed) {
      const response = await proxy.call('POST', '/v1/rotate', JSON.stringify(one));
      if (response.status === 409) throw new LaunchpadError(`${subjectOf('SealedSecret', one.metadata)}: the controller cannot decrypt it, so cannot re-encrypt it`);
      if (response.status !== 200) throw new LaunchpadError(`${subjectOf('SealedSecret', one.metadata)}: cannot re-encrypt: the controller answered HTTP ${response.status}`);
      const rotated = JSON.parse(response.body) as SealedSecret;
      // Like kubeseal: server-set fields do not belong in a file kept in Git.
      if (rotated.metadata) rotated.metadata = Object.fromEntries(Object.entries(rotated.metadata).filter(([field]) => !['creationTimestamp', 'deletionTimestamp', 'generation'].includes(field)));
      parts.push(formatObject(rotated, format));
    }
    return parts.join('');
  } finally {
    proxy.close();
  }
}

async function raw(flags: SealFlags, publicKey: KeyObject): Promise<string> {
  const scope = flags.scope ?? 'strict';
  const namespace = flags.namespace ?? (scope === 'cluster-wide' ? '' : contextNamespace(flags)) ?? '';
  if (scope !== 'cluster-wide' && namespace === '') throw new LaunchpadError(`--raw with --scope ${scope} needs --namespace`);
  if (scope === 'strict' && !flags.name) throw new LaunchpadError('--raw with --scope strict needs --name');
  return sealRawValue(await rawValue(flags.fromFile ?? []), publicKey, { namespace, name: flags.name ?? '', scope });
}

/** The one value of --raw: the file of --from-file ([key=]file, as kubectl), or stdin. */
async function rawValue(from: readonly string[]): Promise<Buffer> {
  if (from.length > 1) throw new LaunchpadError('--raw seals one value: pass at most one --from-file');
  if (from[0] === undefined) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  const file = from[0].includes('=') ? from[0].slice(from[0].indexOf('=') + 1) : from[0];
  try {
    return await readFile(file);
  } catch (error) {
    throw new LaunchpadError(`--from-file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

function sealAll(flags: SealFlags, secrets: readonly Secret[], publicKey: KeyObject, overrides: { readonly name?: string | undefined; readonly namespace?: string | undefined }): SealedSecret[] {
  const defaultNamespace = secrets.some((s) => !s.metadata?.namespace) && !flags.namespace && !overrides.namespace ? contextNamespace(flags) : undefined;
  return secrets.map((secret) =>
    sealSecret(secret, publicKey, {
      ...(flags.scope === undefined ? {} : { scope: flags.scope }),
      ...(overrides.name ? { name: overrides.name } : {}),
      ...(overrides.namespace ? { namespace: overrides.namespace } : {}),
      ...(defaultNamespace === undefined ? {} : { defaultNamespace }),
      allowEmptyData: flags.allowEmptyData === true,
    }),
  );
}

async function mergeInto(flags: SealFlags, publicKey: KeyObject): Promise<void> {
  const file = flags.mergeInto ?? '';
  let existing: string;
  try {
    existing = await readFile(file, 'utf8');
  } catch (error) {
    throw new LaunchpadError(`--merge-into ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const [original, ...more] = sealedSecretsOf(readDocuments(existing, file), file);
  if (original === undefined || more.length > 0) throw new LaunchpadError(`--merge-into ${file}: the file must hold exactly one SealedSecret`);
  const { text, source } = await readInput(flags);
  const secrets = secretsOf(readDocuments(text, source), source);
  let merged = original;
  for (const update of sealAll(flags, secrets, publicKey, { name: original.metadata?.name, namespace: original.metadata?.namespace })) merged = mergeSealedSecrets(merged, update);
  // Keep the file's own format unless -o says otherwise (kubeseal would switch a YAML file to its JSON default).
  const format = flags.format ?? (existing.trimStart().startsWith('{') ? 'json' : 'yaml');
  await writeOutput(formatObject(merged, format), file);
}

/** --re-encrypt rewrites its input file in place when no output file is named, like kubeseal. */
function outputFileOf(flags: SealFlags): string | undefined {
  if (flags.sealedSecretFile !== undefined) return flags.sealedSecretFile;
  return flags.reEncrypt === true && flags.secretFile !== undefined && flags.secretFile !== '-' ? flags.secretFile : undefined;
}

async function run(flags: SealFlags): Promise<void> {
  if ((flags.fromFile ?? []).length > 0 && flags.raw !== true) throw new LaunchpadError('--from-file requires --raw');
  const outputFile = outputFileOf(flags);
  const format = outputFormat(flags, outputFile);
  if (flags.recoveryUnseal === true) return writeOutput(await recoveryUnseal(flags, format), outputFile);
  if (flags.validate === true) return validate(flags);
  if (flags.reEncrypt === true) return writeOutput(await reEncrypt(flags, format), outputFile);
  if ((flags.recoveryPrivateKey ?? []).length > 0) {
    process.stderr.write('launchpad seal: ignoring --recovery-private-key: it is used with --recovery-unseal, --validate and --re-encrypt\n');
  }
  if (flags.fetchCert === true) return writeOutput((await certificatePem(flags)).pem, outputFile);
  const publicKey = await publicKeyOf(flags);
  if (flags.mergeInto !== undefined) return mergeInto(flags, publicKey);
  if (flags.raw === true) return writeOutput(await raw(flags, publicKey), outputFile);
  const { text, source } = await readInput(flags);
  const sealed = sealAll(flags, secretsOf(readDocuments(text, source), source), publicKey, { name: flags.name, namespace: flags.namespace });
  return writeOutput(sealed.map((one) => formatObject(one, format)).join(''), outputFile);
}

export function registerSeal(program: Command): void {
  program
    .command('seal')
    .description('seal Secrets into SealedSecrets (kubeseal-compatible), or unseal them with the controller key for recovery')
    .option('-f, --secret-file <file>', 'Secret (input) file; default stdin')
    .option('-w, --sealed-secret-file <file>', 'output file (YAML when it ends in .yaml/.yml); written only when everything succeeded')
    .addOption(new Option('-o, --format <format>', 'output format (default json, as kubeseal)').choices(['json', 'yaml']))
    .option('--cert <file-or-url>', 'certificate to seal with: a file, file:// or https:// URL (overrides --controller-*)')
    .option('--controller-namespace <namespace>', 'namespace of the sealed-secrets controller', DEFAULT_CONTROLLER_NAMESPACE)
    .option('--controller-name <name>', 'name of the sealed-secrets controller Service', DEFAULT_CONTROLLER_NAME)
    .option('--fetch-cert', 'print the controller certificate (for later use with --cert)')
    .addOption(new Option('--scope <scope>', 'sealing scope (default strict, or what the Secret\'s annotations select)').choices([...SCOPES]))
    .option('--raw', 'seal one raw value (from --from-file or stdin) and print it base64-encoded')
    .option('--from-file <[key=]file>', 'with --raw: the file holding the value', collect)
    .option('--name <name>', 'name of the SealedSecret (overrides the Secret\'s; required with --raw and strict scope)')
    .option('-n, --namespace <namespace>', 'namespace for Secrets that name none (required with --raw unless cluster-wide)')
    .option('--merge-into <file>', 'seal the input Secret\'s values into an existing SealedSecret file, in place')
    .option('--re-encrypt', 'seal the input SealedSecrets again to the newest key (through the controller, or offline with --recovery-private-key and --cert)')
    .option('--validate', 'check that the input SealedSecrets can be decrypted (by the controller, or offline with --recovery-private-key)')
    .option('--recovery-unseal', 'decrypt the input SealedSecrets with --recovery-private-key (disaster recovery); prints plaintext Secrets')
    .option('--recovery-private-key <files>', 'private key files (PEM, or key Secrets as YAML/JSON); repeat or separate with commas', collect)
    .option('--allow-empty-data', 'allow sealing a Secret without data')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .action(async (flags: SealFlags) => {
      await run(flags);
    });
}
