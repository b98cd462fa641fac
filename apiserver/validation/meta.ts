/**
 * ObjectMeta, labels, annotations and label selectors: the checks every kind shares,
 * with kube-apiserver's field paths and messages.
 */
import { field, GoValue, type FieldCause } from '../../shared/api/errors';
import { isDNS1123Label, isQualifiedName, isValidLabelValue } from './names';
import { arr, deepEqual, FieldPath, goLabelSelector, isObj, obj, objs, str, type J } from './util';

export type NameFn = (name: string) => string[];

/** Total size of all annotation keys and values (kube-apiserver's TotalAnnotationSizeLimitB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateLabels(labels: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  for (const [k, v] of Object.entries(obj(labels))) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid(path.text, k, m));
    for (const m of isValidLabelValue(str(v))) errs.push(field.invalid(path.text, str(v), m));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(obj(annotations))) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(path.text, k, m));
    total += Buffer.byteLength(k) + Buffer.byteLength(str(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(field.tooLong(path.text, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateOwnerReferences(refs: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  let controllers = 0;
  for (const ref of objs(refs)) {
    if (!str(ref.apiVersion)) errs.push(field.invalid(path.child('apiVersion').text, str(ref.apiVersion), 'version must not be empty'));
    if (!str(ref.kind)) errs.push(field.invalid(path.child('kind').text, str(ref.kind), 'kind must not be empty'));
    if (!str(ref.name)) errs.push(field.invalid(path.child('name').text, str(ref.name), 'name must not be empty'));
    if (!str(ref.uid)) errs.push(field.invalid(path.child('uid').text, str(ref.uid), 'uid must not be empty'));
    if (ref.controller === true) controllers++;
  }
  if (controllers > 1) errs.push(field.invalid(path.text, refs, 'Only one reference can have Controller set to true'));
  return errs;
}

const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/** A finalizer is a qualified name, and an unprefixed one must be one Kubernetes defines. */
export function validateFinalizerName(f: string, path: FieldPath): FieldCause[] {
  const errs = isQualifiedName(f).map((m) => field.invalid(path.text, f, m));
  if (!f.includes('/') && !STANDARD_FINALIZERS.includes(f)) errs.push(field.invalid(path.text, f, 'name is neither a standard finalizer name nor is it fully qualified'));
  return errs;
}

export interface MetaOptions {
  namespaced: boolean;
  nameFn: NameFn;
}

/** Create-time ObjectMeta checks (ValidateObjectMeta). */
export function validateObjectMeta(metaIn: unknown, o: MetaOptions, path = new FieldPath('metadata')): FieldCause[] {
  const meta = obj(metaIn);
  const errs: FieldCause[] = [];
  const name = str(meta.name);
  const generateName = str(meta.generateName);
  if (generateName) {
    const prefix = generateName.endsWith('-') ? `${generateName.slice(0, -1)}a` : generateName;
    for (const m of o.nameFn(prefix)) errs.push(field.invalid(path.child('generateName').text, generateName, m));
  }
  if (!name) {
    if (!generateName) errs.push(field.required(path.child('name').text, 'name or generateName is required'));
  } else {
    for (const m of o.nameFn(name)) errs.push(field.invalid(path.child('name').text, name, m));
  }
  const ns = str(meta.namespace);
  if (o.namespaced) {
    if (!ns) errs.push(field.required(path.child('namespace').text));
    else for (const m of isDNS1123Label(ns)) errs.push(field.invalid(path.child('namespace').text, ns, m));
  } else if (ns) {
    errs.push(field.forbidden(path.child('namespace').text, 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) errs.push(field.invalid(path.child('generation').text, meta.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  const finalizers = arr(meta.finalizers).map(str);
  finalizers.forEach((f, i) => errs.push(...validateFinalizerName(f, path.child('finalizers').index(i))));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(field.invalid(path.child('finalizers').text, new GoValue(`[]string{${finalizers.map((f) => JSON.stringify(f)).join(', ')}}`), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** Update-time ObjectMeta checks (ValidateObjectMetaUpdate): identity fields never change. */
export function validateObjectMetaUpdate(newIn: unknown, oldIn: unknown, path = new FieldPath('metadata')): FieldCause[] {
  const n = obj(newIn);
  const o = obj(oldIn);
  const errs: FieldCause[] = [];
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    if (o[f] !== undefined && o[f] !== null && n[f] !== undefined && n[f] !== null && !deepEqual(n[f], o[f])) {
      errs.push(field.invalid(path.child(f).text, n[f], 'field is immutable'));
    }
  }
  return errs;
}

// ---------------------------------------------------------------- label selectors

/** ValidateLabelSelector: matchLabels syntax, operators and their values. */
export function validateLabelSelector(selIn: unknown, path: FieldPath): FieldCause[] {
  if (!isObj(selIn)) return [];
  const errs: FieldCause[] = [];
  objs(selIn.matchExpressions).forEach((e, i) => {
    const p = path.child('matchExpressions').index(i);
    const op = str(e.operator);
    const values = arr(e.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(field.required(p.child('values').text, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(field.forbidden(p.child('values').text, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(field.invalid(p.child('operator').text, op, 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(str(e.key))) errs.push(field.invalid(p.child('key').text, str(e.key), m));
  });
  errs.push(...validateLabels(selIn.matchLabels, path.child('matchLabels')));
  return errs;
}

/** Does a LabelSelector select `labels`? An empty selector selects everything; a missing one nothing. */
export function selectorMatches(selIn: unknown, labelsIn: unknown): boolean {
  if (!isObj(selIn)) return false;
  const labels = obj(labelsIn);
  for (const [k, v] of Object.entries(obj(selIn.matchLabels))) if (labels[k] !== v) return false;
  for (const e of objs(selIn.matchExpressions)) {
    const key = str(e.key);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = arr(e.values).map(str);
    switch (str(e.operator)) {
      case 'In':
        if (!has || !values.includes(str(labels[key]))) return false;
        break;
      case 'NotIn':
        if (has && values.includes(str(labels[key]))) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Would LabelSelectorAsSelector accept it? When not, kube-apiserver reports
 * "invalid label selector" and skips the template checks that need a selector.
 */
export function selectorParses(selIn: unknown): boolean {
  if (!isObj(selIn)) return true;
  for (const [k, v] of Object.entries(obj(selIn.matchLabels))) if (isQualifiedName(k).length || isValidLabelValue(str(v)).length) return false;
  for (const e of objs(selIn.matchExpressions)) {
    const op = str(e.operator);
    const values = arr(e.values);
    if (isQualifiedName(str(e.key)).length) return false;
    if ((op === 'In' || op === 'NotIn') && values.length === 0) return false;
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(op)) return false;
    if (values.some((v) => isValidLabelValue(str(v)).length)) return false;
  }
  return true;
}

export function selectorIsEmpty(sel: unknown): boolean {
  const s = obj(sel);
  return Object.keys(obj(s.matchLabels)).length === 0 && arr(s.matchExpressions).length === 0;
}

/** `spec.selector: Invalid value: v1.LabelSelector{…}: field is immutable` when it changed. */
export function immutableSelector(n: J, o: J, path: FieldPath): FieldCause[] {
  if (deepEqual(n.selector, o.selector)) return [];
  return [field.invalid(path.child('selector').text, goLabelSelector(n.selector), 'field is immutable')];
}

