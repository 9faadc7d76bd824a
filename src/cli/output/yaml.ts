/** Stable YAML for rendered objects: no line folding, no anchors, so output bytes depend only on the objects. */
import { stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
