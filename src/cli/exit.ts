/** Exit codes shared by every command: 0 success, 1 at least one application/resource failed, 2 usage or config. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Thrown by commands to end with a given exit code after they printed what they had to say. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
