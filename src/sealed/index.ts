/** Sealed Secrets, byte-compatible with Bitnami's kubeseal and controller. See docs/adr/0020-sealed-secrets.md. */
export * from './types.js';
export * from './scope.js';
export { hybridEncrypt, hybridDecrypt, DecryptError } from './hybrid.js';
export { parseSealingCertificate } from './certificate.js';
export type { SealingCertificate } from './certificate.js';
export * from './keys.js';
export { sealSecret, sealRawValue, mergeSealedSecrets, LAST_APPLIED_ANNOTATIONS } from './seal.js';
export type { SealOptions } from './seal.js';
export { unsealSealedSecret, canUnseal, UnsealError } from './unseal.js';
export { reEncryptSealedSecret } from './reencrypt.js';
export { renderTemplate, TemplateUnsupportedError } from './template.js';
export { SealedSecretError, subjectOf } from './errors.js';
export { readDocuments, formatObject } from './documents.js';
export type { OutputFormat, SourceDocument } from './documents.js';
export { readCertificateSource, fetchControllerCertificate } from './cert-source.js';
export { openControllerProxy, DEFAULT_CONTROLLER_NAME, DEFAULT_CONTROLLER_NAMESPACE } from './controller-proxy.js';
export type { ControllerProxy, ControllerRef } from './controller-proxy.js';
