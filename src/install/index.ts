/** Installing a Launchpad controller: the manifests and applying them. This file only re-exports. */
export { installManifests, resolveInstallOptions, defaultAppProject, defaultImage, packageVersion } from './manifests.js';
export type { InstallOptions, ResolvedInstallOptions } from './manifests.js';
export { applyInstall, waitEstablished, isEstablished, INSTALL_FIELD_MANAGER, DEFAULT_ESTABLISH_TIMEOUT_MS } from './apply.js';
export type { AppliedObject, ApplyInstallOptions, InstallAction } from './apply.js';
export { crdManifests, crdDirectory, CRD_FILES } from './crds.js';
export { CONTROLLER_NAME, DEFAULT_NAMESPACE, DEFAULT_IMAGE_REPOSITORY, HTTP_PORT } from './names.js';
export { clusterRoleBindingName } from './rbac.js';
