/**
 * The contract of Launchpad's Go text/template engine (notifications' templates, ApplicationSets' `goTemplate: true`).
 * Written first so its users can build against it while the engine is built.
 */

/** A template function: Go semantics for arguments (the pipeline's value comes last). Throwing stops execution. */
export type GoTemplateFunction = (...args: unknown[]) => unknown;

export interface GoTemplateOptions {
  /** Names the template in errors (`template.app-sync-succeeded`, `ApplicationSet/argocd/guestbook`). */
  readonly name?: string;
  /** Go's `missingkey` option: `default`/`invalid` print `<no value>`, `zero` the zero value, `error` fails. @default 'default' */
  readonly missingKey?: 'default' | 'invalid' | 'zero' | 'error';
  /** Functions beside Go's built-ins (and, or, not, len, index, printf, eq, lt…): e.g. the Sprig set. */
  readonly functions?: Readonly<Record<string, GoTemplateFunction>>;
}

export interface CompiledGoTemplate {
  /** Runs the template with `data` as dot; throws GoTemplateError (never returns a partial result). */
  execute(data: unknown): string;
}
