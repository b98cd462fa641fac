/**
 * Schema-directed conversion between Kubernetes protobuf messages and the JSON shape the
 * rest of k8ts works with (the JSON kubectl would have sent for the same Go object).
 *
 * protobufjs parses our .proto sources (./schema) and supplies the wire primitives
 * (Reader/Writer). The walk itself is ours, because Kubernetes' JSON rules are not
 * protobuf's and protobufjs' toObject cannot express them:
 *   - gogo-protobuf writes every non-pointer Go field, zero or not. Go's JSON encoder
 *     drops the zero value of `omitempty` scalars, so we do too — except for fields
 *     marked (ptr) (a present pointer is meaningful: `replicas: 0`) or (req) (no
 *     omitempty in Go).
 *   - A message field is written by gogo exactly when Go's JSON encoder would print it:
 *     non-pointer structs always (Go's omitempty never omits a struct, hence
 *     `strategy: {}`, `resources: {}`), pointers only when non-nil. So message presence
 *     on the wire decides JSON presence, with no per-field annotation.
 *   - Empty repeated and map fields are dropped: the wire cannot tell nil from empty, and
 *     nearly all are omitempty.
 *   - Special messages: Time → RFC3339 string (empty message → null, as Go prints a zero
 *     Time), IntOrString → number or string, Quantity → string, RawExtension and
 *     FieldsV1 → embedded JSON; `bytes` ↔ base64.
 *   - (inline) fields are Go embedded structs: their JSON keys live in the parent.
 * Unknown field numbers are skipped, as proto2 requires. Wire types are checked, so a
 * malformed body fails with a precise path instead of decoding into garbage.
 *
 * Everything here is synchronous and pure. The parsed schema and the per-message plans
 * are built lazily on first use and cached; a cached plan is never changed.
 */
import { Reader, Root, Writer, parse, type Type, type MapField } from 'protobufjs';
import { PROTO_SOURCES } from './schema';

/** A body or object that does not fit the schema; `path` is the JSON path of the problem. */
export class ProtobufCodecError extends Error {
  constructor(readonly path: string, detail: string) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'ProtobufCodecError';
  }
}

type Scalar = 'string' | 'bytes' | 'bool' | 'int32' | 'int64';
type Special = 'time' | 'intOrString' | 'quantity' | 'rawExtension' | 'fieldsV1';

interface MessagePlan {
  name: string;
  special?: Special;
  /** Go struct order: the JSON key order. */
  fields: FieldPlan[];
  /** Ascending field number: the order gogo writes, which we copy. */
  wireOrder: FieldPlan[];
  byId: Map<number, FieldPlan>;
}

interface FieldPlan {
  name: string;
  id: number;
  repeated: boolean;
  map: boolean;
  /** Go pointer (`*int32`...): written only when set, so presence carries meaning. */
  pointer: boolean;
  /** Go pointer or no omitempty: a present zero value is printed. */
  keepZero: boolean;
  /** Go embedded struct (`json:",inline"`). */
  inline: boolean;
  /** Element type; for maps the value type (keys are always strings in Kubernetes). */
  scalar?: Scalar;
  message?: MessagePlan;
}

const SPECIALS: Record<string, Special> = {
  'meta.v1.Time': 'time',
  'intstr.IntOrString': 'intOrString',
  'resource.Quantity': 'quantity',
  'runtime.RawExtension': 'rawExtension',
  'meta.v1.FieldsV1': 'fieldsV1',
};

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const SCALAR_WIRE: Record<Scalar, number> = { string: WIRE_LEN, bytes: WIRE_LEN, bool: WIRE_VARINT, int32: WIRE_VARINT, int64: WIRE_VARINT };

/** Go's zero time.Time (0001-01-01T00:00:00Z), which metav1.Time prints as null. */
const GO_ZERO_TIME_SECONDS = -62135596800;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

// ---- schema compilation -------------------------------------------------------------------

let compiled: { root: Root; plans: Map<string, MessagePlan> } | undefined;

function schema(): { root: Root; plans: Map<string, MessagePlan> } {
  if (!compiled) {
    const root = new Root();
    for (const src of PROTO_SOURCES) parse(src, root, { keepCase: true });
    root.resolveAll();
    compiled = { root, plans: new Map() };
  }
  return compiled;
}

/** The plan for a fully qualified message name such as `apps.v1.Deployment`. */
function messagePlan(name: string): MessagePlan {
  const s = schema();
  const known = s.plans.get(name);
  if (known) return known;
  return buildPlan(s.root.lookupType(name), s.plans);
}

/** Whether the schema defines this message (used to validate the kind table at test time). */
export function hasMessage(name: string): boolean {
  try {
    messagePlan(name);
    return true;
  } catch {
    return false;
  }
}

/** Whether message `name` has a field called `field` (DeleteOptions, Status' ListMeta...). */
export function hasField(name: string, field: string): boolean {
  return messagePlan(name).fields.some((f) => f.name === field);
}

function fullName(t: Type): string {
  return t.fullName.replace(/^\./, '');
}

function buildPlan(type: Type, plans: Map<string, MessagePlan>): MessagePlan {
  const name = fullName(type);
  const existing = plans.get(name);
  if (existing) return existing;
  const plan: MessagePlan = { name, special: SPECIALS[name], fields: [], wireOrder: [], byId: new Map() };
  // Registered before the fields are filled so that recursive types terminate.
  plans.set(name, plan);
  for (const f of type.fieldsArray) {
    const options = f.options ?? {};
    const isMap = f.map;
    if (isMap && (f as unknown as MapField).keyType !== 'string') throw new Error(`${name}.${f.name}: only string map keys are supported`);
    const fp: FieldPlan = {
      name: f.name,
      id: f.id,
      repeated: f.repeated,
      map: isMap,
      pointer: options['(ptr)'] === true,
      keepZero: options['(ptr)'] === true || options['(req)'] === true,
      inline: options['(inline)'] === true,
    };
    const resolved = f.resolvedType;
    if (resolved && 'fieldsArray' in resolved) fp.message = buildPlan(resolved as Type, plans);
    else if (f.type in SCALAR_WIRE) fp.scalar = f.type as Scalar;
    else throw new Error(`${name}.${f.name}: unsupported field type ${f.type}`);
    if (fp.inline && (!fp.message || fp.repeated || fp.map)) throw new Error(`${name}.${f.name}: (inline) needs a singular message field`);
    plan.fields.push(fp);
    plan.byId.set(fp.id, fp);
  }
  plan.wireOrder = [...plan.fields].sort((a, b) => a.id - b.id);
  return plan;
}

// ---- decoding: wire → JSON ----------------------------------------------------------------------

/** Decodes one message occupying all of `bytes` into its Kubernetes JSON form. */
export function decodeMessage(name: string, bytes: Uint8Array, path = ''): unknown {
  const r = Reader.create(bytes);
  return readMessage(messagePlan(name), r, path);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Reads fields until `r.len`, which the caller has set to the end of this message. */
function readMessage(plan: MessagePlan, r: Reader, path: string): unknown {
  const present = new Map<FieldPlan, unknown>();
  while (r.pos < r.len) {
    const tag = r.uint32();
    const id = tag >>> 3;
    const wire = tag & 7;
    if (id === 0) throw new ProtobufCodecError(path, `invalid tag ${tag} (field number 0) at byte ${r.pos}`);
    const f = plan.byId.get(id);
    if (!f) {
      r.skipType(wire, 0, id);
      continue;
    }
    const fpath = join(path, f.name);
    if (f.map) {
      expectWire(wire, WIRE_LEN, fpath);
      const entries = (present.get(f) as Record<string, unknown> | undefined) ?? {};
      readMapEntry(f, r, fpath, entries);
      present.set(f, entries);
    } else if (f.repeated) {
      const list = (present.get(f) as unknown[] | undefined) ?? [];
      if (f.scalar && SCALAR_WIRE[f.scalar] === WIRE_VARINT && wire === WIRE_LEN) {
        // Packed encoding: proto2 writers normally don't, but parsers must accept it.
        withLimit(r, fpath, () => {
          while (r.pos < r.len) list.push(readScalar(f.scalar as Scalar, r, `${fpath}[${list.length}]`));
        });
      } else {
        list.push(readValue(f, r, wire, `${fpath}[${list.length}]`));
      }
      present.set(f, list);
    } else {
      // A singular field seen twice: the last one wins (gogo never writes one twice).
      present.set(f, readValue(f, r, wire, fpath));
    }
  }
  return plan.special ? toSpecial(plan.special, present, path) : toObject(plan, present);
}

function expectWire(got: number, want: number, path: string): void {
  if (got !== want) throw new ProtobufCodecError(path, `wire type ${got} where the schema expects ${want}`);
}

/** Runs `fn` with the reader limited to the next length-delimited payload. */
function withLimit(r: Reader, path: string, fn: () => void): void {
  const size = r.uint32();
  const end = r.pos + size;
  if (end > r.len) throw new ProtobufCodecError(path, `length ${size} runs past the end of the enclosing message`);
  const outer = r.len;
  r.len = end;
  fn();
  if (r.pos !== end) throw new ProtobufCodecError(path, 'nested message overran its length');
  r.len = outer;
}

function readValue(f: FieldPlan, r: Reader, wire: number, path: string): unknown {
  if (f.scalar) {
    expectWire(wire, SCALAR_WIRE[f.scalar], path);
    return readScalar(f.scalar, r, path);
  }
  expectWire(wire, WIRE_LEN, path);
  let value: unknown;
  withLimit(r, path, () => {
    value = readMessage(f.message as MessagePlan, r, path);
  });
  return value;
}

function readScalar(type: Scalar, r: Reader, path: string): unknown {
  switch (type) {
    case 'string':
      return r.string();
    case 'bytes':
      return Buffer.from(r.bytes()).toString('base64');
    case 'bool':
      return r.bool();
    case 'int32':
      return r.int32();
    case 'int64': {
      const v = r.int64() as unknown;
      const n = typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
      if (!Number.isSafeInteger(n)) throw new ProtobufCodecError(path, `int64 value ${String(v)} does not fit a JSON number exactly`);
      return n;
    }
  }
}

function readMapEntry(f: FieldPlan, r: Reader, path: string, into: Record<string, unknown>): void {
  withLimit(r, path, () => {
    let key = '';
    let value: unknown;
    let hasValue = false;
    while (r.pos < r.len) {
      const tag = r.uint32();
      const id = tag >>> 3;
      const wire = tag & 7;
      if (id === 1) {
        expectWire(wire, WIRE_LEN, `${path} (map key)`);
        key = r.string();
      } else if (id === 2) {
        value = readValue(f, r, wire, join(path, key));
        hasValue = true;
      } else {
        if (id === 0) throw new ProtobufCodecError(path, `invalid tag ${tag} in map entry`);
        r.skipType(wire, 0, id);
      }
    }
    // An absent value is the type's zero value, as in every protobuf map.
    if (!hasValue) value = f.scalar ? zeroScalar(f.scalar) : readEmpty(f.message as MessagePlan, join(path, key));
    // defineProperty, not assignment: a key such as "__proto__" must stay plain data.
    Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
  });
}

function zeroScalar(type: Scalar): unknown {
  return type === 'bool' ? false : type === 'int32' || type === 'int64' ? 0 : '';
}

function readEmpty(plan: MessagePlan, path: string): unknown {
  return readMessage(plan, Reader.create(new Uint8Array(0)), path);
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

function toObject(plan: MessagePlan, present: Map<FieldPlan, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of plan.fields) {
    if (!present.has(f)) continue;
    const v = present.get(f);
    if (f.map) {
      if (Object.keys(v as object).length > 0) out[f.name] = v;
    } else if (f.repeated) {
      if ((v as unknown[]).length > 0) out[f.name] = v;
    } else if (f.inline) {
      Object.assign(out, v);
    } else if (f.message || f.keepZero || !isZero(v)) {
      out[f.name] = v;
    }
  }
  return out;
}

function toSpecial(kind: Special, present: Map<FieldPlan, unknown>, path: string): unknown {
  const byName = new Map<string, unknown>();
  for (const [f, v] of present) byName.set(f.name, v);
  switch (kind) {
    case 'time': {
      if (byName.size === 0) return null;
      const seconds = (byName.get('seconds') as number | undefined) ?? 0;
      const nanos = (byName.get('nanos') as number | undefined) ?? 0;
      if (seconds === GO_ZERO_TIME_SECONDS && nanos === 0) return null;
      return formatTime(seconds, path);
    }
    case 'intOrString': {
      const type = (byName.get('type') as number | undefined) ?? 0;
      if (type === 0) return (byName.get('intVal') as number | undefined) ?? 0;
      if (type === 1) return (byName.get('strVal') as string | undefined) ?? '';
      throw new ProtobufCodecError(path, `IntOrString type ${type} is neither 0 (int) nor 1 (string)`);
    }
    case 'quantity': {
      // Go prints the zero Quantity as "0"; kubectl never sends an empty string.
      const s = byName.get('string') as string | undefined;
      return s ? s : '0';
    }
    case 'rawExtension':
      return parseEmbeddedJson(byName.get('raw') as string | undefined, path);
    case 'fieldsV1':
      return parseEmbeddedJson(byName.get('Raw') as string | undefined, path);
  }
}

/** metav1.Time marshals as RFC3339 in UTC at second precision (sub-seconds are dropped). */
function formatTime(seconds: number, path: string): string {
  const d = new Date(seconds * 1000);
  const year = d.getUTCFullYear();
  if (Number.isNaN(d.getTime()) || year < 0 || year > 9999) throw new ProtobufCodecError(path, `time ${seconds}s is outside years 0000-9999`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `b64` is the base64 the bytes reader produced; the payload must be JSON (empty → null). */
function parseEmbeddedJson(b64: string | undefined, path: string): unknown {
  if (!b64) return null;
  const text = Buffer.from(b64, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtobufCodecError(path, 'embedded raw object is not JSON (nested protobuf objects are not supported)');
  }
}

// ---- encoding: JSON → wire ----------------------------------------------------------------------

export interface EncodeOptions {
  /** Skip JSON keys the schema lacks instead of failing (the default fails, so nothing is lost silently). */
  dropUnknownFields?: boolean;
}

/** Encodes a Kubernetes JSON value as the message `name` (no envelope). */
export function encodeMessage(name: string, value: unknown, opts: EncodeOptions = {}, path = ''): Uint8Array {
  const w = Writer.create();
  writeMessage(messagePlan(name), value, w, path, opts);
  return w.finish();
}

function tagOf(id: number, wire: number): number {
  return ((id << 3) | wire) >>> 0;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function writeMessage(plan: MessagePlan, value: unknown, w: Writer, path: string, opts: EncodeOptions): void {
  if (plan.special) {
    writeSpecial(plan.special, value, w, path);
    return;
  }
  if (!isPlainObject(value)) throw new ProtobufCodecError(path, `expected an object for ${plan.name}, got ${describe(value)}`);
  if (!opts.dropUnknownFields) checkKnownKeys(plan, value, path);
  writeFields(plan, value, w, path, opts);
}

function writeFields(plan: MessagePlan, obj: Record<string, unknown>, w: Writer, path: string, opts: EncodeOptions): void {
  for (const f of plan.wireOrder) {
    if (f.inline) {
      // Go always writes an embedded struct; its keys are the parent's.
      w.uint32(tagOf(f.id, WIRE_LEN)).fork();
      writeFields(f.message as MessagePlan, obj, w, path, opts);
      w.ldelim();
      continue;
    }
    const v = obj[f.name];
    const fpath = join(path, f.name);
    const singular = !f.repeated && !f.map;
    if (v === undefined || v === null) {
      if (singular && f.scalar && f.scalar !== 'bytes' && !f.pointer) {
        // gogo writes every non-pointer scalar, zero or not; so do we, so that re-encoding
        // a decoded body reproduces kubectl's bytes. ([]byte is nil-checked, hence skipped.)
        writeScalar(f.scalar, f.id, zeroScalar(f.scalar), w, fpath);
      } else if (v === null && singular && f.message?.special === 'time') {
        // `creationTimestamp: null` is a present zero Time; other nulls are nil pointers.
        w.uint32(tagOf(f.id, WIRE_LEN)).fork().ldelim();
      }
      continue;
    }
    if (f.map) {
      if (!isPlainObject(v)) throw new ProtobufCodecError(fpath, `expected a map object, got ${describe(v)}`);
      // gogo writes map entries sorted by key; copying it keeps encodings byte-comparable.
      for (const key of Object.keys(v).sort()) {
        w.uint32(tagOf(f.id, WIRE_LEN)).fork();
        w.uint32(tagOf(1, WIRE_LEN)).string(key);
        writeValue(f, 2, v[key], w, join(fpath, key), opts);
        w.ldelim();
      }
    } else if (f.repeated) {
      if (!Array.isArray(v)) throw new ProtobufCodecError(fpath, `expected a list, got ${describe(v)}`);
      v.forEach((item, i) => writeValue(f, f.id, item, w, `${fpath}[${i}]`, opts));
    } else {
      writeValue(f, f.id, v, w, fpath, opts);
    }
  }
}

/** JSON keys of `plan`, with the keys of inline members folded in. */
function jsonKeys(plan: MessagePlan, into = new Set<string>()): Set<string> {
  for (const f of plan.fields) {
    if (f.inline) jsonKeys(f.message as MessagePlan, into);
    else into.add(f.name);
  }
  return into;
}

const keyCache = new WeakMap<MessagePlan, Set<string>>();

function checkKnownKeys(plan: MessagePlan, obj: Record<string, unknown>, path: string): void {
  let keys = keyCache.get(plan);
  if (!keys) {
    keys = jsonKeys(plan);
    keyCache.set(plan, keys);
  }
  for (const k of Object.keys(obj)) {
    if (!keys.has(k) && obj[k] !== undefined) {
      throw new ProtobufCodecError(join(path, k), `field not in the protobuf schema for ${plan.name}`);
    }
  }
}

function writeValue(f: FieldPlan, id: number, v: unknown, w: Writer, path: string, opts: EncodeOptions): void {
  if (f.scalar) {
    writeScalar(f.scalar, id, v, w, path);
    return;
  }
  w.uint32(tagOf(id, WIRE_LEN)).fork();
  // A null list element or map value is the message's zero value.
  if (v !== null || (f.message as MessagePlan).special) writeMessage(f.message as MessagePlan, v, w, path, opts);
  w.ldelim();
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function writeScalar(type: Scalar, id: number, v: unknown, w: Writer, path: string): void {
  switch (type) {
    case 'string':
      if (typeof v !== 'string') throw new ProtobufCodecError(path, `expected a string, got ${describe(v)}`);
      w.uint32(tagOf(id, WIRE_LEN)).string(v);
      return;
    case 'bytes':
      if (typeof v !== 'string' || !BASE64.test(v)) throw new ProtobufCodecError(path, `expected a base64 string, got ${describe(v)}`);
      w.uint32(tagOf(id, WIRE_LEN)).bytes(Buffer.from(v, 'base64'));
      return;
    case 'bool':
      if (typeof v !== 'boolean') throw new ProtobufCodecError(path, `expected a boolean, got ${describe(v)}`);
      w.uint32(tagOf(id, WIRE_VARINT)).bool(v);
      return;
    case 'int32':
      if (!Number.isInteger(v) || (v as number) < INT32_MIN || (v as number) > INT32_MAX) throw new ProtobufCodecError(path, `expected a 32-bit integer, got ${describe(v)}`);
      w.uint32(tagOf(id, WIRE_VARINT)).int32(v as number);
      return;
    case 'int64':
      if (!Number.isSafeInteger(v)) throw new ProtobufCodecError(path, `expected an integer, got ${describe(v)}`);
      w.uint32(tagOf(id, WIRE_VARINT)).int64(v as number);
      return;
  }
}

function writeSpecial(kind: Special, v: unknown, w: Writer, path: string): void {
  switch (kind) {
    case 'time': {
      if (v === null || v === undefined) return; // empty message: the zero Time
      if (typeof v !== 'string') throw new ProtobufCodecError(path, `expected an RFC3339 time string, got ${describe(v)}`);
      const { seconds, nanos } = parseTime(v, path);
      w.uint32(tagOf(1, WIRE_VARINT)).int64(seconds);
      w.uint32(tagOf(2, WIRE_VARINT)).int32(nanos);
      return;
    }
    case 'intOrString': {
      // gogo writes all three fields of this non-pointer struct.
      if (typeof v === 'string') {
        w.uint32(tagOf(1, WIRE_VARINT)).int64(1).uint32(tagOf(2, WIRE_VARINT)).int32(0).uint32(tagOf(3, WIRE_LEN)).string(v);
      } else if (Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX) {
        w.uint32(tagOf(1, WIRE_VARINT)).int64(0).uint32(tagOf(2, WIRE_VARINT)).int32(v as number).uint32(tagOf(3, WIRE_LEN)).string('');
      } else {
        throw new ProtobufCodecError(path, `expected an integer or a string, got ${describe(v)}`);
      }
      return;
    }
    case 'quantity':
      if (typeof v !== 'string' && typeof v !== 'number') throw new ProtobufCodecError(path, `expected a quantity string, got ${describe(v)}`);
      w.uint32(tagOf(1, WIRE_LEN)).string(String(v));
      return;
    case 'rawExtension':
    case 'fieldsV1':
      if (v === undefined) return;
      w.uint32(tagOf(1, WIRE_LEN)).bytes(Buffer.from(JSON.stringify(v), 'utf8'));
      return;
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

function parseTime(s: string, path: string): { seconds: number; nanos: number } {
  const m = RFC3339.exec(s);
  if (!m) throw new ProtobufCodecError(path, `expected an RFC3339 time, got ${JSON.stringify(s)}`);
  const [, y, mo, d, h, mi, sec, frac, sign, oh, om] = m;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(sec), 0);
  // Date silently rolls 2024-02-30 over into March; a real RFC3339 parser refuses it.
  if (date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) {
    throw new ProtobufCodecError(path, `invalid date or time in ${JSON.stringify(s)}`);
  }
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60) : 0;
  const seconds = Math.floor(date.getTime() / 1000) - offset;
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds, nanos };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}
