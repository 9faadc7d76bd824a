/**
 * The API's one error: an HTTP status, what went wrong (naming the application or resource) and what to do. Sent as
 * `{error, fix?}`; never a stack trace, never a credential.
 */
import { LaunchpadError } from '../errors.js';

export class ApiError extends LaunchpadError {
  readonly status: number;
  readonly detail: string;
  readonly hint: string | undefined;

  constructor(status: number, message: string, fix?: string) {
    super(message, fix === undefined ? {} : { fix });
    this.status = status;
    this.detail = message;
    this.hint = fix;
  }
}

export const notFound = (what: string, fix?: string): ApiError => new ApiError(404, `${what} not found`, fix);
export const forbidden = (who: string, action: string, object: string): ApiError => new ApiError(403, `permission denied: ${who} may not ${action} ${object}`, 'ask an administrator for a role that allows it (argocd-rbac-cm policy.csv)');
