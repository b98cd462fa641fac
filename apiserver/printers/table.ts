/**
 * The meta.k8s.io/v1 Table wire types, and the small vocabulary every printer is built from.
 *
 * Spec: /work/shared/PRINTERS.md §0.5 (envelope, column definitions, rows) and
 * KUBECTL-WIRE.md §4.1. A printer here is pure data plus one pure function: its column
 * definitions (constant, so they are byte-identical across list chunks and watch events,
 * which kubectl compares with deep equality to decide whether to reprint headers) and a
 * function from one object and "now" to that object's cells. No I/O, no clock reads: the
 * caller injects `now`, so tests pin ages exactly.
 */
import type { KObject, ObjectMeta } from '../../shared/api/types';

/** A cell is a JSON string, integer, boolean or null (kubectl prints null as an empty cell). */
export type Cell = string | number | boolean | null;

/** All five keys are always present on the wire (none is omitempty upstream). */
export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type: string, integer, number, boolean, date. kubectl does not check cells against it. */
  type: string;
  /** "name" marks the column kubectl rewrites to `kind/name` in multi-type output. */
  format: string;
  description: string;
  /** 0 = always shown; 1 = only with `kubectl get -o wide`. The server always sends both. */
  priority: number;
}

/** Only pod rows carry conditions (Completed/Succeeded or Completed/Failed). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** What a row embeds under includeObject=Metadata (the default). */
export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
  /** Metadata (default) → PartialObjectMetadata; Object → the full object; None → null. */
  object?: KObject | PartialObjectMetadata | null;
}

export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: TableListMeta;
  /** null when headers are suppressed (every watch event after the first); kubectl reuses the last set. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** What a printer knows besides the object: the request's "now", in epoch milliseconds. */
export interface PrintContext {
  now: number;
}

export interface PrintedRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
}

export interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  print(obj: KObject, ctx: PrintContext): PrintedRow;
}

/**
 * Bind column definitions to a typed print function. The cast from KObject is the one
 * place the generic machinery meets a concrete kind: the registry only routes a
 * resource's objects to its own printer, and every printer reads fields defensively
 * (optional chaining, defaults), so a malformed object yields odd cells, never a throw.
 */
export function definePrinter<T>(
  columns: readonly TableColumnDefinition[],
  print: (obj: T, ctx: PrintContext) => Cell[] | PrintedRow,
): Printer {
  return {
    columns,
    print(obj, ctx) {
      const out = print(obj as unknown as T, ctx);
      return Array.isArray(out) ? { cells: out } : out;
    },
  };
}

export function column(
  name: string,
  type: string,
  description: string,
  extra: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type, format: extra.format ?? '', description, priority: extra.priority ?? 0 };
}

/** A priority-1 ("wide") column. */
export function wide(name: string, type: string, description: string): TableColumnDefinition {
  return column(name, type, description, { priority: 1 });
}

// Columns shared by many printers. Their wording is ours; kubectl ignores descriptions.
export const NAME_COLUMN = column('Name', 'string', 'Name of the object, unique within its namespace (or cluster, for cluster-scoped kinds).', { format: 'name' });
export const AGE_COLUMN = column('Age', 'string', 'Time since the object was created (metadata.creationTimestamp).');
export const CONTAINERS_COLUMN = wide('Containers', 'string', 'Names of the containers in the pod template.');
export const IMAGES_COLUMN = wide('Images', 'string', 'Images of the containers in the pod template.');
export const SELECTOR_COLUMN = wide('Selector', 'string', 'Label selector choosing the pods this object manages.');
