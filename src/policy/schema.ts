/**
 * The fields the engine understands, level by level. Anything else is refused by name when the policy is loaded,
 * never silently ignored: a field Kyverno knows but Launchpad does not evaluate is reported as not supported.
 */
export interface FieldSet {
  readonly known: readonly string[];
  /** Kyverno fields that Launchpad does not evaluate; the error says so instead of "unknown". */
  readonly unsupported?: readonly string[];
}

export const POLICY_SPEC: FieldSet = {
  known: [
    'rules', 'background', 'validationFailureAction', 'failurePolicy', 'webhookTimeoutSeconds', 'generateExisting',
    'generateExistingOnPolicyUpdate', 'mutateExistingOnPolicyUpdate', 'schemaValidation', 'admission', 'applyRules',
    'emitWarning', 'useServerSideApply',
  ],
  unsupported: ['validationFailureActionOverrides', 'webhookConfiguration'],
};

export const CLEANUP_SPEC: FieldSet = { known: ['schedule', 'match', 'exclude', 'conditions', 'context', 'deletionPropagationPolicy'] };

export const RULE: FieldSet = {
  known: ['name', 'match', 'exclude', 'context', 'preconditions', 'validate', 'mutate', 'generate', 'skipBackgroundRequests', 'reportProperties'],
  unsupported: ['verifyImages', 'celPreconditions', 'imageExtractors'],
};

export const VALIDATE: FieldSet = {
  known: ['message', 'pattern', 'anyPattern', 'deny', 'foreach', 'failureAction', 'allowExistingViolations'],
  unsupported: ['podSecurity', 'cel', 'manifests', 'assert', 'failureActionOverrides'],
};

export const MUTATE: FieldSet = { known: ['patchStrategicMerge', 'patchesJson6902', 'foreach', 'mutateExistingOnPolicyUpdate', 'targets'] };

/** One entry of `mutate.targets` (Kyverno's TargetResourceSpec). */
export const MUTATE_TARGET: FieldSet = { known: ['apiVersion', 'kind', 'name', 'namespace', 'uid', 'selector', 'context', 'preconditions'] };

export const LABEL_SELECTOR: FieldSet = { known: ['matchLabels', 'matchExpressions'] };

/**
 * An `apiCall` context entry. Launchpad sends `urlPath` calls to the Kubernetes API with the controller's identity;
 * calls to another service (`service`) are refused when the policy loads rather than failing at admission.
 */
export const API_CALL: FieldSet = { known: ['urlPath', 'method', 'data', 'jmesPath', 'default'], unsupported: ['service'] };

export const GENERATE: FieldSet = {
  known: ['apiVersion', 'kind', 'name', 'namespace', 'synchronize', 'data', 'clone', 'cloneList', 'orphanDownstreamOnPolicyDelete', 'generateExisting', 'uid'],
  unsupported: ['foreach'],
};

export const CONTEXT_ENTRY: FieldSet = { known: ['name', 'variable', 'configMap', 'apiCall'], unsupported: ['imageRegistry', 'globalReference'] };

export const VALIDATE_FOREACH: FieldSet = { known: ['list', 'context', 'preconditions', 'elementScope', 'pattern', 'anyPattern', 'deny', 'foreach'] };

export const MUTATE_FOREACH: FieldSet = { known: ['list', 'context', 'preconditions', 'patchStrategicMerge', 'patchesJson6902', 'foreach', 'order'] };

export const MATCH_FILTER: FieldSet = { known: ['resources', 'subjects', 'roles', 'clusterRoles'] };

export const RESOURCE_DESCRIPTION: FieldSet = {
  known: ['kinds', 'names', 'name', 'namespaces', 'selector', 'namespaceSelector', 'annotations', 'operations'],
};
