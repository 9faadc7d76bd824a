/**
 * Errors about sealing and unsealing. Each names the object (`SealedSecret/shop/db`) and, where there is one, the key
 * (`password`). No message ever carries a plaintext value or key material: only names, scopes and what to do.
 */
import { LaunchpadError } from '../errors.js';
import type { LaunchpadErrorOptions } from '../errors.js';

export class SealedSecretError extends LaunchpadError {
  constructor(
    readonly subject: string,
    message: string,
    options: LaunchpadErrorOptions & { readonly key?: string } = {},
  ) {
    super(`${subject}${options.key === undefined ? '' : ` key ${JSON.stringify(options.key)}`}: ${message}`, options);
  }
}

/** `Kind/namespace/name` (or `Kind/name` without a namespace), as every Launchpad message names objects. */
export function subjectOf(kind: string, metadata: { readonly name?: string | undefined; readonly namespace?: string | undefined } | undefined): string {
  const name = metadata?.name ?? '<no name>';
  return metadata?.namespace ? `${kind}/${metadata.namespace}/${name}` : `${kind}/${name}`;
}
