/** A custom JMESPath function as Kyverno defines it: a name, argument types and the implementation. */
export type ArgumentType = 'string' | 'number' | 'object' | 'array' | 'boolean' | 'any' | 'string|number' | 'object|array';

export interface FunctionDefinition {
  readonly name: string;
  readonly args: readonly ArgumentType[];
  /** Number of trailing arguments that may be left out. */
  readonly optional?: number;
  readonly run: (args: readonly unknown[]) => unknown;
}
