/** The two objects this module works on, as plain JSON shapes (what kubectl and kubeseal read and write). */

export interface ObjectMeta {
  name?: string | undefined;
  generateName?: string | undefined;
  namespace?: string | undefined;
  uid?: string | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  ownerReferences?: unknown[] | undefined;
  [field: string]: unknown;
}

/** A core/v1 Secret. `data` values are base64; `stringData` values are plain text. */
export interface Secret {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  type?: string;
  immutable?: boolean;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  [field: string]: unknown;
}

export interface SealedSecretTemplate {
  metadata?: ObjectMeta;
  type?: string;
  immutable?: boolean;
  /** Go text/template strings rendered over the decrypted values (see template.ts for the supported subset). */
  data?: Record<string, string>;
}

/** A bitnami.com/v1alpha1 SealedSecret. `encryptedData` values are base64 of the hybrid ciphertext (hybrid.ts). */
export interface SealedSecret {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: {
    template?: SealedSecretTemplate;
    encryptedData?: Record<string, string>;
    /** The pre-v0.7 single-blob format; refused (Bitnami's controller refuses it too unless a flag is flipped). */
    data?: unknown;
  };
  status?: unknown;
  [field: string]: unknown;
}

export const SEALED_SECRET_API_VERSION = 'bitnami.com/v1alpha1';
export const SEALED_SECRET_KIND = 'SealedSecret';
