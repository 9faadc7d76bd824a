/** The engine's internal form of a loaded policy: the public LoadedPolicy plus each rule as the evaluators read it. */
import type { FailureAction, LoadedPolicy, RuleType } from './api.js';
import type { MatchBlock } from './match.js';
import type { LabelSelector } from './selector.js';

export interface ContextEntry {
  readonly name: string;
  readonly variable?: { readonly value?: unknown; readonly jmesPath?: string; readonly default?: unknown };
  readonly configMap?: { readonly name: string; readonly namespace?: string };
  readonly apiCall?: {
    readonly urlPath?: string;
    readonly method?: 'GET' | 'POST';
    readonly data?: readonly { readonly key: string; readonly value: unknown }[];
    readonly jmesPath?: string;
    readonly default?: unknown;
  };
}

export interface ForeachBlock {
  readonly list: string;
  readonly context?: readonly ContextEntry[];
  readonly preconditions?: unknown;
  readonly elementScope?: boolean;
  readonly pattern?: unknown;
  readonly anyPattern?: readonly unknown[];
  readonly deny?: { readonly conditions?: unknown };
  readonly patchStrategicMerge?: unknown;
  readonly patchesJson6902?: string;
  readonly order?: 'Ascending' | 'Descending';
  readonly foreach?: readonly ForeachBlock[];
}

export interface ValidateSpec {
  readonly message?: string;
  readonly pattern?: unknown;
  readonly anyPattern?: readonly unknown[];
  readonly deny?: { readonly conditions?: unknown };
  readonly foreach?: readonly ForeachBlock[];
  readonly allowExistingViolations?: boolean;
}

export interface MutateTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly selector?: LabelSelector;
  readonly context?: readonly ContextEntry[];
  readonly preconditions?: unknown;
}

export interface MutateSpec {
  readonly patchStrategicMerge?: unknown;
  readonly patchesJson6902?: string;
  readonly foreach?: readonly ForeachBlock[];
  readonly targets?: readonly MutateTarget[];
  readonly mutateExistingOnPolicyUpdate?: boolean;
}

export interface GenerateSpec {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly synchronize?: boolean;
  readonly orphanDownstreamOnPolicyDelete?: boolean;
  readonly data?: unknown;
  readonly clone?: { readonly namespace?: string; readonly name?: string };
  readonly cloneList?: {
    readonly namespace?: string;
    readonly kinds?: readonly string[];
    readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  };
}

export interface CompiledRule {
  readonly name: string;
  readonly index: number;
  readonly type: RuleType;
  readonly failureAction: FailureAction;
  readonly match: MatchBlock;
  readonly exclude: MatchBlock | undefined;
  readonly context: readonly ContextEntry[];
  readonly preconditions: unknown;
  readonly validate?: ValidateSpec;
  readonly mutate?: MutateSpec;
  readonly generate?: GenerateSpec;
}

export interface CompiledPolicy extends LoadedPolicy {
  readonly compiledRules: readonly CompiledRule[];
  /** Cleanup policies: what they select and the conditions on `target`. */
  readonly cleanup: { readonly match: MatchBlock; readonly exclude: MatchBlock | undefined; readonly conditions: unknown; readonly context: readonly ContextEntry[] } | undefined;
  readonly file: string | undefined;
}

/** The engine hands out LoadedPolicy; everything it receives back was made by loadPolicy. */
export function compiled(policy: LoadedPolicy): CompiledPolicy {
  if (!('compiledRules' in policy)) throw new TypeError(`policy ${policy.name} was not loaded with loadPolicy()`);
  return policy as CompiledPolicy;
}
