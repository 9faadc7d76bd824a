/** Registers Kyverno's custom JMESPath functions with the JMESPath Community runtime, once. */
import { registerFunction, TYPE_ANY, TYPE_ARRAY, TYPE_BOOLEAN, TYPE_NUMBER, TYPE_OBJECT, TYPE_STRING } from '@jmespath-community/jmespath';
import type { InputSignature, JSONValue } from '@jmespath-community/jmespath';
import { arithmeticFunctions } from './arithmetic.js';
import { stringFunctions } from './strings.js';
import { timeFunctions } from './time.js';
import type { ArgumentType, FunctionDefinition } from './types.js';

export { withClock } from './time.js';

type InputType = InputSignature['types'][number];

const TYPES: Readonly<Record<string, InputType>> = {
  string: TYPE_STRING,
  number: TYPE_NUMBER,
  object: TYPE_OBJECT,
  array: TYPE_ARRAY,
  boolean: TYPE_BOOLEAN,
  any: TYPE_ANY,
};

function signature(type: ArgumentType): InputSignature {
  return { types: type.split('|').map((name) => TYPES[name] ?? TYPE_ANY) };
}

let registered = false;

export const kyvernoFunctions: readonly FunctionDefinition[] = [...stringFunctions, ...timeFunctions, ...arithmeticFunctions];

export function registerKyvernoFunctions(): void {
  if (registered) return;
  registered = true;
  for (const definition of kyvernoFunctions) {
    // `replace` exists in JMESPath Community with an optional count; Kyverno's takes four arguments (-1 = all).
    registerFunction(definition.name, (args) => definition.run(args) as JSONValue, definition.args.map(signature), { override: true });
  }
}
