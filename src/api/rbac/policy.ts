/**
 * Argo CD's RBAC policy in its own text form (argocd-rbac-cm `policy.csv`): `p, subject, resource, action, object,
 * allow|deny` rules and `g, subject, role` grants, one per line, `#` comments. Lines are CSV (a field may be quoted to
 * hold a comma). A line that is neither is an error naming its line, so a typo never silently grants nothing.
 */
import { LaunchpadError } from '../../errors.js';

export interface PolicyRule {
  readonly subject: string;
  readonly resource: string;
  readonly action: string;
  readonly object: string;
  readonly effect: 'allow' | 'deny';
}

export interface Grant {
  readonly subject: string;
  readonly role: string;
}

export interface Policy {
  readonly rules: readonly PolicyRule[];
  readonly grants: readonly Grant[];
}

/** Splits one CSV line (RFC 4180 quoting, spaces after commas trimmed as Go's csv.Reader TrimLeadingSpace does). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  let atStart = true;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i] ?? '';
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') { current += '"'; i += 1; } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === ',') {
      fields.push(current.trimEnd());
      current = '';
      atStart = true;
      continue;
    } else if (atStart && (char === ' ' || char === '\t')) continue;
    else if (atStart && char === '"') quoted = true;
    else current += char;
    atStart = false;
  }
  fields.push(current.trimEnd());
  return fields;
}

function ruleOf(fields: readonly string[], where: string): PolicyRule {
  const [, subject, resource, action, object, effect = 'allow'] = fields;
  if (subject === undefined || resource === undefined || action === undefined || object === undefined || (effect !== 'allow' && effect !== 'deny')) {
    throw new LaunchpadError(`${where} is not a policy rule`, { fix: 'write p, <subject>, <resource>, <action>, <object>, allow|deny (e.g. p, role:dev, applications, sync, team-a/*, allow)' });
  }
  return { subject, resource, action, object, effect };
}

/** Parses policy text; `origin` names where it came from in errors (`argocd-rbac-cm policy.csv`). */
export function parsePolicy(text: string, origin: string): Policy {
  const rules: PolicyRule[] = [];
  const grants: Grant[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = csvFields(line);
    const where = `${origin} line ${index + 1}`;
    if (fields[0] === 'p') {
      rules.push(ruleOf(fields, `${where}: "${line}"`));
      return;
    }
    if (fields[0] === 'g' && fields.length === 3 && fields[1] !== '' && fields[2] !== '') {
      grants.push({ subject: fields[1] ?? '', role: fields[2] ?? '' });
      return;
    }
    throw new LaunchpadError(`${where}: "${line}" is neither a p rule nor a g grant`, { fix: 'start the line with p, (a rule) or g, (give a user or group a role), or # for a comment' });
  });
  return { rules, grants };
}

export function mergePolicies(...policies: readonly Policy[]): Policy {
  return { rules: policies.flatMap((policy) => policy.rules), grants: policies.flatMap((policy) => policy.grants) };
}
