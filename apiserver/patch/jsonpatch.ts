/**
 * RFC 6902 JSON Patch (`application/json-patch+json`), applied with fast-json-patch.
 *
 * Failures come in two kinds. A body that is not a well-formed operation list (not an array, an
 * unknown `op`, a missing `path`/`from`/`value`) is the client's syntax error: 400 BadRequest.
 * (Kubernetes only notices a malformed operation while applying it and answers 422; checking
 * the shape first gives a clearer answer before touching the object.) A well-formed operation
 * that cannot be applied to this object — a failed `test`, a `remove` of a missing path, an
 * index out of range — is 422 Invalid, as the API server reports it. The operation index and
 * path are always in the message, so a script can tell which of its operations failed. The
 * input document is never modified; every failure is an ApiError, never a bare exception.
 */
import { applyOperation, JsonPatchError, type Operation } from 'fast-json-patch';
import { ApiError, badRequest, tooLarge } from '../../shared/api/errors';
import { cloneJson, hasOwn, isObject, show, type JsonValue } from './json';

/** The API server's cap on operations per JSON patch (apiserver's maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Checks the shape of every operation; returns them typed for fast-json-patch. */
export function decodeJsonPatch(ops: unknown): Operation[] {
  if (!Array.isArray(ops)) {
    throw badRequest(`invalid JSON patch: expected a JSON array of operations, got ${typeNameOf(ops)}`);
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw tooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  ops.forEach((op: unknown, i: number) => {
    const where = `invalid JSON patch: operation ${i}`;
    if (!isObject(op)) throw badRequest(`${where}: expected an object, got ${typeNameOf(op)}`);
    const name = op.op;
    if (typeof name !== 'string' || !OPS.has(name)) {
      throw badRequest(`${where}: "op" must be one of add, remove, replace, move, copy, test (got ${show(name ?? null)})`);
    }
    checkPointer(op.path, `${where} (${name}): "path"`);
    if (name === 'move' || name === 'copy') checkPointer(op.from, `${where} (${name}): "from"`);
    if ((name === 'add' || name === 'replace' || name === 'test') && !hasOwn(op, 'value')) {
      throw badRequest(`${where} (${name} ${show(op.path)}): missing "value"`);
    }
  });
  return ops as Operation[];
}

function checkPointer(p: unknown, what: string): void {
  if (typeof p !== 'string') throw badRequest(`${what} must be a string JSON pointer, got ${typeNameOf(p)}`);
  if (p !== '' && !p.startsWith('/')) throw badRequest(`${what} ${show(p)} must be empty or start with "/"`);
}

function typeNameOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

/** Applies `ops` to a copy of `doc`. */
export function applyJsonPatch<T>(doc: T, ops: unknown): T {
  const operations = cloneJson(decodeJsonPatch(ops) as unknown as JsonValue) as unknown as Operation[];
  let result: unknown = cloneJson(doc);
  // One operation at a time: fast-json-patch's own validator reports every failure as index 0.
  operations.forEach((op, i) => {
    try {
      result = applyOperation(result, op, true, true, true, i).newDocument;
    } catch (err) {
      throw applyFailure(err, i, op);
    }
  });
  if (!isObject(result)) {
    throw unprocessable(`the JSON patch turned the object into ${typeNameOf(result)}; the result must be a JSON object`);
  }
  return result as T;
}

function applyFailure(err: unknown, i: number, op: Operation): ApiError {
  const what = `operation ${i} (${op.op} ${JSON.stringify(op.path)})`;
  if (err instanceof JsonPatchError) {
    switch (err.name) {
      case 'TEST_OPERATION_FAILED':
        return unprocessable(`${what}: test failed: the value at ${JSON.stringify(op.path)} is not ${show((op as { value?: unknown }).value)}`);
      case 'OPERATION_PATH_UNRESOLVABLE':
        return unprocessable(`${what}: the path does not exist in the object`);
      case 'OPERATION_FROM_UNRESOLVABLE':
        return unprocessable(`${what}: the "from" path ${JSON.stringify((op as { from?: string }).from ?? '')} does not exist in the object`);
      case 'OPERATION_PATH_CANNOT_ADD':
        return unprocessable(`${what}: the parent of the path does not exist in the object`);
      case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
        return unprocessable(`${what}: the path uses an invalid array index`);
      case 'OPERATION_VALUE_OUT_OF_BOUNDS':
        return unprocessable(`${what}: the array index is out of bounds`);
      default:
        return unprocessable(`${what}: ${err.message.split('\n')[0]}`);
    }
  }
  // fast-json-patch throws TypeError for things like walking into a string or a banned
  // __proto__ segment; those are still this patch's fault, not the server's.
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return unprocessable(`${what}: the JSON patch cannot be applied: ${message}`);
}

/**
 * 422 Invalid, as the API server answers a JSON patch that fails to apply. Kubernetes puts a
 * generic message on top and the detail in a cause; we put the detail in both, so kubectl's
 * `Error from server (Invalid): …` line is useful on its own.
 */
function unprocessable(message: string): ApiError {
  return new ApiError(422, 'Invalid', message, { causes: [{ reason: 'UnexpectedServerResponse', message, field: '' }] });
}
