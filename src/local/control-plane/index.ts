/** The test control plane's public surface; re-exported from src/testing/index.ts. */
export { KUBERNETES_VERSION, controlPlaneBinDir, findControlPlaneBinaries, missingBinaries } from './binaries.js';
export type { ControlPlaneBinary } from './binaries.js';
export { controlPlaneSkipReason } from './availability.js';
export { startControlPlane } from './control-plane.js';
export type { ControlPlane, ControlPlaneOptions } from './control-plane.js';
export { eventually } from './eventually.js';
export type { EventuallyOptions } from './eventually.js';
export { createCertificateAuthority, issueCertificate } from './pki.js';
export type { CertificateAuthority, CertificateOptions, IssuedCertificate } from './pki.js';
export { FAKE_NODE_ANNOTATION } from './kwok-stages.js';
