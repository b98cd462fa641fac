/**
 * The one catalogue of API errors. Every failure the API server reports is built here
 * and leaves as a `kind: Status` with Kubernetes' code, reason, message and details, so
 * kubectl prints `Error from server (<reason>): <message>` exactly as against a real
 * cluster. Clients (CLI, informers) parse responses back into `ApiError` with `fromStatus`.
 */
import type { Status } from './types';

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict'
  | 'Gone' | 'Expired' | 'Invalid' | 'MethodNotAllowed' | 'NotAcceptable' | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType' | 'TooManyRequests' | 'InternalError' | 'ServiceUnavailable' | 'Timeout'
  | 'NonZeroExitCode' | '';

/** One field problem, as in `details.causes` (reason FieldValueRequired, field spec.containers). */
export interface FieldCause {
  reason: string;
  message: string;
  field: string;
}

/** Where the error happened: resource plural (group-qualified kind in details), name. */
export interface ErrorTarget {
  group?: string;
  /** Resource plural, e.g. `pods`, `deployments`. */
  resource: string;
  name?: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: Status['details'],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Status {
    const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) status.details = this.details;
    return status;
  }

  static fromStatus(status: Status, fallbackCode = 500): ApiError {
    return new ApiError(status.code ?? fallbackCode, (status.reason ?? '') as StatusReason, status.message ?? 'unknown error', status.details);
  }
}

export function isApiError(err: unknown, reason?: StatusReason): err is ApiError {
  return err instanceof ApiError && (reason === undefined || err.reason === reason);
}

/** `deployments.apps` — the qualified resource Kubernetes uses in messages. */
export function qualifiedResource(t: ErrorTarget): string {
  return t.group ? `${t.resource}.${t.group}` : t.resource;
}

function details(t: ErrorTarget): Status['details'] {
  const d: NonNullable<Status['details']> = { kind: t.resource };
  if (t.name !== undefined) d.name = t.name;
  if (t.group) d.group = t.group;
  return d;
}

export function notFound(t: ErrorTarget): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(t)} "${t.name ?? ''}" not found`, details(t));
}

export function alreadyExists(t: ErrorTarget): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(t)} "${t.name ?? ''}" already exists`, details(t));
}

export function conflict(t: ErrorTarget, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(t)} "${t.name ?? ''}": ${why}`, details(t));
}

/** 422 with field causes; message `Pod "bad" is invalid: spec.containers: Required value`. */
export function invalid(kind: string, name: string, causes: FieldCause[], group?: string): ApiError {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const d: NonNullable<Status['details']> = { name, kind, causes };
  if (group) d.group = group;
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${summary}`, d);
}

export function badRequest(message: string, causes?: FieldCause[]): ApiError {
  return new ApiError(400, 'BadRequest', message, causes ? { causes } : undefined);
}

/** Watch or list from a revision the store has compacted away (etcd ErrCompacted). */
export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Gone', message);
}

export function tooLarge(message: string): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', message);
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got ${JSON.stringify(contentType)})`);
}

export function methodNotAllowed(message: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', message);
}

export function notAcceptable(message: string): ApiError {
  return new ApiError(406, 'NotAcceptable', message);
}

export function unauthorized(message = 'Unauthorized'): ApiError {
  return new ApiError(401, 'Unauthorized', message);
}

export function forbidden(t: ErrorTarget, user: string, verb: string, why = ''): ApiError {
  const msg = `${qualifiedResource(t)}${t.name ? ` "${t.name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${t.resource}"${t.group ? ` in API group "${t.group}"` : ' in API group ""'}${why ? `: ${why}` : ''}`;
  return new ApiError(403, 'Forbidden', msg, details(t));
}

export function tooManyRequests(message: string, retryAfterSeconds?: number): ApiError {
  return new ApiError(429, 'TooManyRequests', message, retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined);
}

export function internalError(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);
}

export function serviceUnavailable(message: string): ApiError {
  return new ApiError(503, 'ServiceUnavailable', message);
}

/** Field-error helpers that produce Kubernetes' field.Error wording. */
export const field = {
  required: (path: string, detail = ''): FieldCause => ({ reason: 'FieldValueRequired', field: path, message: detail ? `Required value: ${detail}` : 'Required value' }),
  invalid: (path: string, value: unknown, detail: string): FieldCause => ({ reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${formatValue(value)}: ${detail}` }),
  notSupported: (path: string, value: unknown, allowed: string[]): FieldCause => ({ reason: 'FieldValueNotSupported', field: path, message: `Unsupported value: ${formatValue(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}` }),
  duplicate: (path: string, value: unknown): FieldCause => ({ reason: 'FieldValueDuplicate', field: path, message: `Duplicate value: ${formatValue(value)}` }),
  forbidden: (path: string, detail: string): FieldCause => ({ reason: 'FieldValueForbidden', field: path, message: `Forbidden: ${detail}` }),
  tooLong: (path: string, max: number): FieldCause => ({ reason: 'FieldValueTooLong', field: path, message: `Too long: may not be more than ${max} bytes` }),
  typeInvalid: (path: string, value: unknown, detail: string): FieldCause => ({ reason: 'FieldValueTypeInvalid', field: path, message: `Invalid value: ${formatValue(value)}: ${detail}` }),
  unknown: (path: string): FieldCause => ({ reason: 'FieldValueInvalid', field: path, message: `unknown field "${path}"` }),
  notFound: (path: string, value: unknown): FieldCause => ({ reason: 'FieldValueNotFound', field: path, message: `Not found: ${formatValue(value)}` }),
  tooMany: (path: string, actual: number, max: number): FieldCause => ({ reason: 'FieldValueTooMany', field: path, message: `Too many: ${actual}: must have at most ${max} items` }),
};

/**
 * A value already spelled as Go's `%#v` prints it (`map[string]string{"app":"web"}`,
 * `v1.LabelSelector{…}`), for field errors whose Kubernetes wording shows a Go struct or
 * map; printed verbatim instead of as JSON.
 */
export class GoValue {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

function formatValue(v: unknown): string {
  if (v instanceof GoValue) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
