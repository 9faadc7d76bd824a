/**
 * Decides whether an identity may do an action, as Argo CD's enforcer does: the default role (`policy.default`) is
 * tried first, then the subject itself, then each of its groups (the OIDC claims named by `scopes`). Each of these is
 * allowed when a rule of it or of a role it inherits (`g` lines, transitively) allows the action and none denies it
 * — a deny wins over an allow for the same subject. Resource, action and object are matched with Argo CD's glob
 * (`*` also crosses `/`), or as regular expressions with `policy.matchMode: regex`.
 */
import { globMatch } from '../../settings/glob.js';
import type { Policy, PolicyRule } from './policy.js';

export interface Subject {
  /** The user (local account name, OIDC `sub`, or a token's account). */
  readonly name: string;
  /** Groups (from the OIDC claims listed in `scopes`); empty for local accounts. */
  readonly groups: readonly string[];
}

export interface EnforcerOptions {
  readonly policy: Policy;
  /** `policy.default`: a role every authenticated subject has. @default none */
  readonly defaultRole?: string;
  /** @default 'glob' */
  readonly matchMode?: 'glob' | 'regex';
}

/** casbin's role manager stops at this depth; a cycle in `g` lines never loops. */
const MAX_ROLE_DEPTH = 10;
/** Remembered decisions; past this many the memory starts again (subjects × objects is unbounded). */
const MAX_DECISIONS = 100_000;

export class Enforcer {
  private readonly rolesOf = new Map<string, string[]>();
  private readonly rulesOf = new Map<string, PolicyRule[]>();
  private readonly regexes = new Map<string, RegExp | undefined>();
  /** Role closures by subject: a list of 1,000 applications asks for the same few subjects 1,000 times. */
  private readonly closures = new Map<string, string[]>();
  private readonly subjectRules = new Map<string, PolicyRule[]>();
  private readonly decisions = new Map<string, boolean>();
  /** Bounded by subjects × resources × actions asked: few. */
  private readonly actionRules = new Map<string, PolicyRule[]>();

  constructor(private readonly options: EnforcerOptions) {
    for (const grant of options.policy.grants) this.rolesOf.set(grant.subject, [...(this.rolesOf.get(grant.subject) ?? []), grant.role]);
    for (const rule of options.policy.rules) this.rulesOf.set(rule.subject, [...(this.rulesOf.get(rule.subject) ?? []), rule]);
  }

  /** True when `subject` may do `action` on `resource` object `object`. */
  enforce(subject: Subject, resource: string, action: string, object: string): boolean {
    const candidates = [...(this.options.defaultRole === undefined || this.options.defaultRole === '' ? [] : [this.options.defaultRole]), subject.name, ...subject.groups];
    return candidates.some((candidate) => candidate !== '' && this.enforceOne(candidate, resource, action, object));
  }

  /** The roles `subject` holds, itself included (for `/api/v1/session`: what the UI may offer). */
  rolesFor(name: string): string[] {
    const cached = this.closures.get(name);
    if (cached !== undefined) return [...cached];
    const seen = new Set<string>([name]);
    let frontier = [name];
    for (let depth = 0; depth < MAX_ROLE_DEPTH && frontier.length > 0; depth += 1) {
      frontier = frontier.flatMap((current) => this.rolesOf.get(current) ?? []).filter((role) => !seen.has(role));
      for (const role of frontier) seen.add(role);
    }
    this.closures.set(name, [...seen]);
    return [...seen];
  }

  private enforceOne(name: string, resource: string, action: string, object: string): boolean {
    // Decisions are remembered (the enforcer is rebuilt whenever the policy changes): listing 1,000 applications
    // twice judges each once.
    const key = `${name}\0${resource}\0${action}\0${object}`;
    const known = this.decisions.get(key);
    if (known !== undefined) return known;
    const rules = this.rulesForAction(name, resource, action).filter((rule) => this.match(rule.object, object));
    const allowed = rules.some((rule) => rule.effect === 'allow') && !rules.some((rule) => rule.effect === 'deny');
    if (this.decisions.size >= MAX_DECISIONS) this.decisions.clear();
    this.decisions.set(key, allowed);
    return allowed;
  }

  /**
   * The subject's rules for one resource and action: what is left to match per object. A list of 1,000 applications
   * asks a handful of (subject, resource, action) questions 1,000 times, each about another object.
   */
  private rulesForAction(name: string, resource: string, action: string): PolicyRule[] {
    const key = `${name}\0${resource}\0${action}`;
    let rules = this.actionRules.get(key);
    if (rules === undefined) {
      rules = this.rulesFor(name).filter((rule) => this.match(rule.resource, resource) && this.match(rule.action, action));
      this.actionRules.set(key, rules);
    }
    return rules;
  }

  /** Every rule of the subject and of the roles it inherits. */
  private rulesFor(name: string): PolicyRule[] {
    let rules = this.subjectRules.get(name);
    if (rules === undefined) {
      rules = this.rolesFor(name).flatMap((role) => this.rulesOf.get(role) ?? []);
      this.subjectRules.set(name, rules);
    }
    return rules;
  }

  private match(pattern: string, value: string): boolean {
    if (this.options.matchMode !== 'regex') return globMatch(pattern, value);
    if (!this.regexes.has(pattern)) {
      let compiled: RegExp | undefined;
      try {
        compiled = new RegExp(pattern);
      } catch {
        compiled = undefined;
      }
      this.regexes.set(pattern, compiled);
    }
    // Go's regexp.MatchString (casbin's RegexMatch) finds the pattern anywhere unless it is anchored.
    return this.regexes.get(pattern)?.test(value) ?? false;
  }
}
