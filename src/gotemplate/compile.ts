/** compileGoTemplate: parse once (every function and variable checked), execute many times. */
import { BUILTIN_FUNCTIONS } from './builtins.js';
import { GoTemplateError, positionOf } from './errors.js';
import { execute } from './exec.js';
import { LexError } from './lexer.js';
import { ParseError, parseTemplate, type ParsedTemplate } from './parser.js';
import { UNSUPPORTED_SPRIG_FUNCTIONS } from './sprig/unsupported.js';
import type { CompiledGoTemplate, GoTemplateFunction, GoTemplateOptions } from './types.js';

const DEFAULT_NAME = 'template';

export function compileGoTemplate(text: string, options: GoTemplateOptions = {}): CompiledGoTemplate {
  const name = options.name ?? DEFAULT_NAME;
  const functions: Record<string, GoTemplateFunction> = { ...BUILTIN_FUNCTIONS, ...options.functions };
  const parsed = parse(text, name, functions);
  const context = { name, text, defines: parsed.defines, functions, missingKey: options.missingKey ?? 'default' } as const;
  return {
    execute(data: unknown): string {
      try {
        // Go's nil data is no value at all: `{{.a}}` prints <no value> rather than failing on a nil pointer.
        return execute(context, parsed.root, data ?? undefined);
      } catch (error) {
        if (error instanceof GoTemplateError) throw error;
        // A stack overflow from runaway recursion, or a bug: still one clear error, never a crash.
        const detail = error instanceof Error ? error.message : String(error);
        throw new GoTemplateError(name, { line: 0, column: 0 }, `executing "${name}": ${detail}`, { cause: error });
      }
    },
  };
}

function parse(text: string, name: string, functions: Readonly<Record<string, GoTemplateFunction>>): ParsedTemplate {
  try {
    return parseTemplate(text, (fn) => Object.hasOwn(functions, fn));
  } catch (error) {
    if (error instanceof LexError || error instanceof ParseError) {
      throw new GoTemplateError(name, positionOf(text, error.pos), explain(error.message), { cause: error });
    }
    throw error;
  }
}

/** Says why a known Sprig function is missing, so the user does not hunt for a typo. */
function explain(message: string): string {
  const match = /^function "([^"]+)" not defined$/.exec(message);
  const fn = match?.[1];
  if (fn === undefined) return message;
  const reason = UNSUPPORTED_SPRIG_FUNCTIONS[fn];
  return reason === undefined ? message : `${message}: ${reason}`;
}
