/**
 * The bridge from the model package to the tree renderer: Applications from a root file (validated with file:line:col)
 * and from rendered objects (validated and described as "rendered by …"), normalised for rendering.
 */
import { describeError } from '../errors.js';
import type { Application } from '../model/application.js';
import { describeRendered } from '../model/describe.js';
import { formatWarning } from '../model/findings.js';
import { loadManifestFile } from '../model/load.js';
import { normalizeApplication } from '../model/normalize.js';
import { validateApplication } from '../model/validate-application.js';
import type { KubeObject } from '../model/resource.js';
import { readTextFile } from '../source/read-text.js';
import type { ApplicationLoader } from './tree.js';

export function createApplicationLoader(): ApplicationLoader {
  return {
    async loadFile(file) {
      let text: string;
      try {
        text = await readTextFile(file, 'give the path of the root Application file');
      } catch (error) {
        return { applications: [], errors: [describeError(error)], warnings: [] };
      }
      const loaded = loadManifestFile(text, file);
      return {
        applications: loaded.applications.map(({ app }) => normalizeApplication(app) as Application),
        errors: loaded.errors.map((error) => error.message),
        warnings: loaded.warnings.map(formatWarning),
      };
    },
    fromRendered(object: KubeObject, renderedBy: readonly string[]) {
      const result = validateApplication(object, describeRendered(object, { renderedBy }));
      const warnings = result.warnings.map(formatWarning);
      if (!result.ok) return { errors: result.errors.map((error) => error.message), warnings };
      return { application: normalizeApplication(result.value), errors: [], warnings };
    },
  };
}
