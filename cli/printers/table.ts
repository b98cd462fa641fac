/**
 * Prints server-side Tables (meta.k8s.io/v1 Table) the way kubectl does (PRINTERS.md
 * §0.6): upper-cased headers, priority-1 columns only with `-o wide`, NAMESPACE prepended
 * for `-A`, one column per `-L` key and LABELS for `--show-labels` appended (both read
 * from `row.object.metadata`), the name column prefixed `kind[.group]/` when several
 * types are printed, cells laid out by the Go-compatible tab writer (padding 3).
 *
 * A TablePrinter is stateful for `get -w`: it remembers the last column definitions
 * (watch events after the first carry none) and column widths, and whether the header
 * has been printed.
 */
import type { ObjectMeta } from '../../shared/api/types';
import { GET_TABLE_OPTIONS, TabWriter } from './tabwriter';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description?: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { kind?: string; apiVersion?: string; metadata?: ObjectMeta } | null;
  conditions?: unknown[];
}

export interface Table {
  kind: 'Table';
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions?: TableColumnDefinition[] | null;
  rows?: TableRow[] | null;
}

export interface TableOptions {
  wide?: boolean;
  withNamespace?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  noHeaders?: boolean;
  /** `pod`, `deployment.apps`: prefix for the name column (multi-type output). */
  kindPrefix?: string;
}

export function isTable(x: unknown): x is Table {
  return !!x && typeof x === 'object' && (x as { kind?: unknown }).kind === 'Table' && Array.isArray((x as Table).columnDefinitions ?? []);
}

/** A cell as kubectl prints it: strings cut at the first line break, escapes defused. */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') {
    const cut = v.search(/[\n\r\f]/);
    const s = cut >= 0 ? `${v.slice(0, cut)}...` : v;
    // A tab inside a cell would shift columns; ESC could drive the terminal.
    return s.replace(/\t/g, ' ').replace(/\x1b/g, '^[');
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** `a=b,c=d` sorted by key, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** The -L header: upper-cased text after the last `/` of the key. */
export function labelColumnHeader(key: string): string {
  const i = key.lastIndexOf('/');
  return (i >= 0 ? key.slice(i + 1) : key).toUpperCase();
}

export function visibleColumns(columns: TableColumnDefinition[], wide: boolean): number[] {
  const idx: number[] = [];
  columns.forEach((c, i) => {
    if (wide || (c.priority ?? 0) === 0) idx.push(i);
  });
  return idx;
}

/** The name column kubectl prefixes: first with format `name` and type `string`. */
export function nameColumnIndex(columns: TableColumnDefinition[]): number {
  return columns.findIndex((c) => c.format === 'name' && c.type === 'string');
}

export function headerCells(columns: TableColumnDefinition[], opts: TableOptions): string[] {
  const out: string[] = [];
  if (opts.withNamespace) out.push('NAMESPACE');
  for (const i of visibleColumns(columns, !!opts.wide)) out.push(columns[i].name.toUpperCase());
  for (const key of opts.labelColumns ?? []) out.push(labelColumnHeader(key));
  if (opts.showLabels) out.push('LABELS');
  return out;
}

export function rowCells(columns: TableColumnDefinition[], row: TableRow, opts: TableOptions): string[] {
  const meta = row.object?.metadata;
  const out: string[] = [];
  if (opts.withNamespace) out.push(meta?.namespace ?? '');
  const nameIdx = opts.kindPrefix ? nameColumnIndex(columns) : -1;
  for (const i of visibleColumns(columns, !!opts.wide)) {
    let cell = formatCell(row.cells?.[i]);
    if (i === nameIdx) cell = `${opts.kindPrefix}/${cell}`;
    out.push(cell);
  }
  for (const key of opts.labelColumns ?? []) out.push(meta?.labels?.[key] ?? '');
  if (opts.showLabels) out.push(formatLabels(meta?.labels));
  return out;
}

/** Formats one Table as a block (no output at all when it has no rows). */
export function formatTable(table: Table, opts: TableOptions): string {
  const printer = new TablePrinter(opts);
  return printer.print(table);
}

export class TablePrinter {
  private columns: TableColumnDefinition[] = [];
  private headerPrinted = false;
  private readonly writer: TabWriter;

  constructor(private readonly opts: TableOptions, remember = false) {
    this.writer = new TabWriter({ ...GET_TABLE_OPTIONS, rememberWidths: remember });
  }

  /** Adopts a table's columns (watch events after the first have none: keep the last). */
  setColumns(table: Pick<Table, 'columnDefinitions'>): void {
    if (table.columnDefinitions && table.columnDefinitions.length > 0) this.columns = table.columnDefinitions;
  }

  get hasColumns(): boolean {
    return this.columns.length > 0;
  }

  /** Rows of `table` (header first if not printed yet); '' when there are no rows. */
  print(table: Table): string {
    this.setColumns(table);
    const rows = table.rows ?? [];
    if (rows.length === 0) return '';
    if (!this.headerPrinted && !this.opts.noHeaders) this.writer.write(headerCells(this.columns, this.opts).join('\t') + '\n');
    this.headerPrinted = true;
    for (const row of rows) this.writer.write(rowCells(this.columns, row, this.opts).join('\t') + '\n');
    return this.writer.flush();
  }
}
