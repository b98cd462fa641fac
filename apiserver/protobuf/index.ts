/**
 * Kubernetes protobuf request bodies (`Content-Type: application/vnd.kubernetes.protobuf`).
 *
 * kubectl's generator commands (`create deployment|namespace|configmap|secret|service|
 * job|cronjob|serviceaccount|quota|priorityclass|ingress|pdb|role...`) go through
 * client-go's typed clientset, which POSTs protobuf and does not fall back to JSON on
 * 415 (KUBECTL-WIRE.md §4.4, §9 item 6). So the API server decodes these bodies into the
 * same JSON shape a JSON body would have, and the rest of k8ts never sees protobuf.
 *
 * Wire: the magic "k8s\0", then a runtime.Unknown {typeMeta{apiVersion,kind}, raw,
 * contentEncoding, contentType}; `raw` is the object encoded per its group's
 * generated.proto. The message definitions are our own (./schema); ./codec does the
 * protobuf ↔ Kubernetes-JSON mapping.
 *
 * Guarantees: decodeProtobufObject never throws anything but ApiError — 400 for a
 * malformed body (with the JSON path of the problem), 415 for a kind we have no schema
 * for — and yields exactly the JSON Go would print for the object (checked against
 * bodies captured from kubectl, test/unit/fixtures/protobuf). For those bodies,
 * encodeProtobufObject(decodeProtobufObject(b)) gives back the same bytes, because the
 * encoder writes fields the way gogo-protobuf does. All functions are synchronous and
 * stateless.
 */
import { ApiError, badRequest } from '../../shared/api/errors';
import type { KObject } from '../../shared/api/types';
import { ProtobufCodecError, decodeMessage, encodeMessage, hasField, type EncodeOptions } from './codec';
import { KINDS } from './schema';
import { Reader, Writer } from 'protobufjs';

export { ProtobufCodecError, type EncodeOptions } from './codec';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** "k8s\0": distinguishes a protobuf object from JSON/YAML in apimachinery's serializer. */
export const PROTOBUF_MAGIC: Readonly<Buffer> = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/**
 * True for `application/vnd.kubernetes.protobuf` with any parameters except `stream=`:
 * a `;stream=watch` body is a sequence of length-prefixed frames, not one object.
 */
export function isProtobufContentType(ct: string): boolean {
  const [type, ...params] = ct.split(';');
  if (type.trim().toLowerCase() !== PROTOBUF_CONTENT_TYPE) return false;
  return !params.some((p) => p.trim().toLowerCase().startsWith('stream='));
}

/** The message we decode `apiVersion`+`kind` with, or undefined when we have none. */
function messageFor(apiVersion: string, kind: string): string | undefined {
  const known = KINDS.get(`${apiVersion}/${kind}`);
  if (known) return known;
  // Like the real scheme, DeleteOptions is accepted under any group version.
  if (kind === 'DeleteOptions') return 'meta.v1.DeleteOptions';
  return undefined;
}

/** Whether `obj`'s kind can be encoded as protobuf (a response negotiator asks this first). */
export function isProtobufKindSupported(apiVersion: string, kind: string): boolean {
  return messageFor(apiVersion, kind) !== undefined;
}

function unsupportedKind(apiVersion: string, kind: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `unsupported kind for protobuf decoding: ${apiVersion}, Kind=${kind}; send JSON`);
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** Reads the runtime.Unknown envelope by hand: its `raw` must stay bytes, not become base64. */
function readEnvelope(body: Uint8Array): Envelope {
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const r = Reader.create(body);
  while (r.pos < r.len) {
    const tag = r.uint32();
    const id = tag >>> 3;
    const wire = tag & 7;
    if (id >= 1 && id <= 4 && wire !== 2) throw new ProtobufCodecError('', `envelope field ${id} has wire type ${wire}, expected 2`);
    if (id === 1) {
      const sub = Reader.create(r.bytes());
      while (sub.pos < sub.len) {
        const t = sub.uint32();
        if (t === ((1 << 3) | 2)) env.apiVersion = sub.string();
        else if (t === ((2 << 3) | 2)) env.kind = sub.string();
        else sub.skipType(t & 7, 0, t >>> 3);
      }
    } else if (id === 2) {
      env.raw = r.bytes();
    } else if (id === 3) {
      env.contentEncoding = r.string();
    } else if (id === 4) {
      env.contentType = r.string();
    } else {
      if (id === 0) throw new ProtobufCodecError('', `invalid tag ${tag} in envelope`);
      r.skipType(wire, 0, id);
    }
  }
  return env;
}

function hexPrefix(body: Buffer): string {
  return body.subarray(0, 8).toString('hex');
}

/**
 * Decodes a protobuf request body into the JSON object a JSON client would have sent,
 * with apiVersion and kind taken from the envelope. Throws ApiError 400/415.
 */
export function decodeProtobufObject(body: Buffer): KObject {
  if (body.length < PROTOBUF_MAGIC.length || !body.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)) {
    const hint = /^\s*[{[]/.test(body.subarray(0, 16).toString('latin1')) ? ' (it looks like JSON: send Content-Type: application/json)' : '';
    throw badRequest(`protobuf body must start with the magic bytes 6b387300 ("k8s\\0"), got ${body.length === 0 ? 'an empty body' : hexPrefix(body)}${hint}`);
  }
  let env: Envelope;
  try {
    env = readEnvelope(body.subarray(PROTOBUF_MAGIC.length));
  } catch (err) {
    throw badRequest(`malformed protobuf envelope (runtime.Unknown): ${errorText(err)}`);
  }
  if (!env.apiVersion || !env.kind) {
    throw badRequest(`protobuf envelope lacks typeMeta: apiVersion ${JSON.stringify(env.apiVersion)}, kind ${JSON.stringify(env.kind)}`);
  }
  if (env.contentEncoding) throw badRequest(`unsupported protobuf contentEncoding ${JSON.stringify(env.contentEncoding)}`);
  if (env.contentType && !isProtobufContentType(env.contentType)) {
    throw badRequest(`unsupported contentType ${JSON.stringify(env.contentType)} inside a protobuf envelope`);
  }
  const message = messageFor(env.apiVersion, env.kind);
  if (!message) throw unsupportedKind(env.apiVersion, env.kind);

  let decoded: unknown;
  try {
    decoded = decodeMessage(message, env.raw);
  } catch (err) {
    throw badRequest(`malformed protobuf ${env.apiVersion}, Kind=${env.kind}: ${errorText(err)}`);
  }
  const { apiVersion: _a, kind: _k, ...fields } = decoded as Record<string, unknown>;
  // KObject promises metadata; an object without field 1 at all decodes to none.
  return { apiVersion: env.apiVersion, kind: env.kind, ...fields, metadata: (fields.metadata as KObject['metadata'] | undefined) ?? {} };
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.keys(v).length === 0;
}

function errorText(err: unknown): string {
  if (err instanceof ProtobufCodecError) return err.message;
  // protobufjs Reader errors: "index out of range: 12 + 40 > 30", "invalid wire type 6 at offset 4"...
  const msg = err instanceof Error ? err.message : String(err);
  return `${msg}${/index out of range/.test(msg) ? ' (truncated body?)' : ''}`;
}

/**
 * Encodes an object (apiVersion and kind set) as a protobuf body, envelope included.
 * Throws ProtobufCodecError if the kind is unknown or the object holds a field our schema
 * lacks (unless `dropUnknownFields`), so a caller negotiating a response can fall back
 * to JSON instead of silently losing data.
 */
export function encodeProtobufObject(obj: KObject, opts: EncodeOptions = {}): Buffer {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) {
    throw new ProtobufCodecError('', 'object needs apiVersion and kind to be encoded as protobuf');
  }
  const message = messageFor(apiVersion, kind);
  if (!message) throw new ProtobufCodecError('', `unsupported kind for protobuf encoding: ${apiVersion}, Kind=${kind}`);
  const { apiVersion: _a, kind: _k, ...fields } = obj;
  // KObject always has metadata; kinds without ObjectMeta (DeleteOptions) get an empty one
  // from decodeProtobufObject, which must not count as an unknown field here.
  if (!hasField(message, 'metadata') && isEmptyObject(fields.metadata)) delete (fields as Partial<KObject>).metadata;
  const raw = encodeMessage(message, fields, opts);

  const w = Writer.create();
  w.uint32((1 << 3) | 2).fork();
  w.uint32((1 << 3) | 2).string(apiVersion);
  w.uint32((2 << 3) | 2).string(kind);
  w.ldelim();
  w.uint32((2 << 3) | 2).bytes(raw);
  // gogo writes the empty contentEncoding and contentType too (observed: ...1a00 2200).
  w.uint32((3 << 3) | 2).string('');
  w.uint32((4 << 3) | 2).string('');
  return Buffer.concat([PROTOBUF_MAGIC, w.finish()]);
}
