/**
 * How the CLI reports failures: one line (or kubectl's multi-line Invalid form) on
 * stderr, with kubectl's wording, so users and scripts see what they would see with
 * kubectl. Verbs throw; `runCli` formats and exits 1.
 */
import { ApiError } from '../shared/api/errors';
import { ConnectionError } from '../shared/client/client';

/** A failure the CLI itself detected (bad flags, bad manifest): printed as `error: …`. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** Already reported (e.g. per-object errors printed as they happened): just exit non-zero. */
export class ExitError extends Error {
  constructor(readonly exitCode = 1) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

/**
 * kubectl's rendering of an API error. `Invalid` with causes becomes
 * `The Pod "x" is invalid: field: message` (a `* ` list when several).
 */
export function formatApiError(err: ApiError): string {
  const details = err.details;
  if (err.reason === 'Invalid') {
    let s = 'The request is invalid';
    if (!details) return err.message ? `${s}: ${err.message}` : s;
    const causes = details.causes ?? [];
    if (details.kind || details.name) s = `The ${details.kind ?? ''} ${JSON.stringify(details.name ?? '')} is invalid`;
    else if (err.message && causes.length === 0) s += `: ${err.message}`;
    if (causes.length === 0) return s;
    const msgs = causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : `${c.message ?? ''}`));
    if (msgs.length === 1) return `${s}: ${msgs[0]}`;
    return `${s}: \n${msgs.map((m) => `* ${m}`).join('\n')}`;
  }
  if (err.reason === 'Unauthorized') return `error: You must be logged in to the server (${err.message})`;
  if (err.reason) return `Error from server (${err.reason}): ${err.message}`;
  return `Error from server: ${err.message}`;
}

/** Any error as the line(s) to print (without trailing newline). */
export function formatError(err: unknown): string {
  if (err instanceof ApiError) return formatApiError(err);
  if (err instanceof ConnectionError) return err.message;
  const msg = err instanceof Error ? err.message : String(err);
  return msg.startsWith('error: ') ? msg : `error: ${msg}`;
}

/** Prefixes an API error's message with where it came from (kubectl's AddSourceToErr). */
export function withSource(err: unknown, verb: string, source: string): unknown {
  if (err instanceof ApiError && err.reason !== 'Invalid' && source) {
    return new ApiError(err.code, err.reason, `error when ${verb} "${source}": ${err.message}`, err.details);
  }
  return err;
}
