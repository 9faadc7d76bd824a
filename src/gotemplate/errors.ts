/**
 * The one error of the Go template engine. Its message reads like Go's own
 * (`template: NAME:LINE:COL: …`) so a user who knows Argo CD recognises it, and always names the template, the
 * position and the construct (`<.app.metadata.nme>`, `function "foo"`), so the fix can be found without a debugger.
 */
export class GoTemplateError extends Error {
  override readonly name = 'GoTemplateError';
  /** The template's name (options.name, or `template` when none was given). */
  readonly template: string;
  /** 1-based line and column of the construct in the template text; 0 when not known. */
  readonly line: number;
  readonly column: number;
  /** What failed, without the position prefix (`function "foo" not defined`). */
  readonly detail: string;

  constructor(template: string, position: { line: number; column: number }, detail: string, options?: ErrorOptions) {
    super(`template: ${template}:${position.line}:${position.column}: ${detail}`, options);
    this.template = template;
    this.line = position.line;
    this.column = position.column;
    this.detail = detail;
  }
}

export function isGoTemplateError(error: unknown): error is GoTemplateError {
  return error instanceof GoTemplateError;
}

/** Thrown by template functions (built-in or Sprig) for a bad argument; the executor adds template and position. */
export class GoFunctionError extends Error {
  override readonly name = 'GoFunctionError';
  /**
   * An argument Go would have rejected before calling (`wrong type for value; expected string; got int`): reported
   * as such, without Go's `error calling NAME:` prefix that marks an error the function itself returned.
   */
  readonly isArgumentError: boolean;

  constructor(message: string, options?: { isArgumentError?: boolean }) {
    super(message);
    this.isArgumentError = options?.isArgumentError ?? false;
  }
}

/** Internal: text position → line/column, computed only when an error is reported. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
