/**
 * An elastic-tabstop formatter that lays text out exactly as Go's text/tabwriter does,
 * because kubectl's output (and users' scripts and eyes) depend on its column widths:
 * - `get` tables: minwidth 6, tabwidth 4, padding 3, padded with spaces;
 * - `describe`: minwidth 0, tabwidth 8, padding 2.
 *
 * Rules reproduced from Go: cells are terminated by `\t`; the text after a line's last
 * tab is not part of any column and is never padded; a column block is a run of
 * consecutive lines that all have a cell in that column, so a line without enough tabs
 * ends the block (this is why `describe` sections align independently); a column is as
 * wide as its widest cell plus padding, but at least minwidth; widths count characters
 * (runes), not display cells.
 *
 * `rememberWidths` (kubectl's fork) keeps columns from shrinking between flushes, so
 * rows printed one by one by `get -w` stay aligned with the first table.
 */

export interface TabWriterOptions {
  minwidth: number;
  tabwidth: number;
  padding: number;
  padchar?: string;
  rememberWidths?: boolean;
}

export const GET_TABLE_OPTIONS: TabWriterOptions = { minwidth: 6, tabwidth: 4, padding: 3 };
export const DESCRIBE_OPTIONS: TabWriterOptions = { minwidth: 0, tabwidth: 8, padding: 2 };

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export class TabWriter {
  private buf = '';
  private remembered: number[] = [];

  constructor(private readonly opts: TabWriterOptions) {}

  write(text: string): void {
    this.buf += text;
  }

  /** Formats everything written since the last flush and returns it. */
  flush(): string {
    const text = this.buf;
    this.buf = '';
    if (text === '') return '';
    const endsWithNewline = text.endsWith('\n');
    const rawLines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
    const lines = rawLines.map((l) => l.split('\t'));
    let out = '';
    const widths: number[] = [];
    const padchar = this.opts.padchar ?? ' ';

    const writeLines = (line0: number, line1: number) => {
      for (let i = line0; i < line1; i++) {
        const line = lines[i];
        for (let j = 0; j < line.length; j++) {
          const cell = line[j];
          out += cell;
          if (j < widths.length) {
            const pad = widths[j] - runeLength(cell);
            if (pad > 0) out += padchar.repeat(pad);
          }
        }
        if (i + 1 < lines.length || endsWithNewline) out += '\n';
      }
    };

    const format = (line0: number, line1: number) => {
      const column = widths.length;
      for (let cur = line0; cur < line1; cur++) {
        if (column >= lines[cur].length - 1) continue;
        // A cell exists in this column: the lines before it are done at this depth.
        writeLines(line0, cur);
        line0 = cur;
        let width = this.opts.minwidth;
        for (; cur < line1; cur++) {
          const line = lines[cur];
          if (column >= line.length - 1) break;
          const w = runeLength(line[column]) + this.opts.padding;
          if (w > width) width = w;
        }
        if (this.opts.rememberWidths) {
          const prev = this.remembered[column] ?? 0;
          if (prev > width) width = prev;
          this.remembered[column] = width;
        }
        widths.push(width);
        format(line0, cur);
        widths.pop();
        line0 = cur;
      }
      writeLines(line0, line1);
    };

    format(0, lines.length);
    return out;
  }
}

/** One-shot formatting of tab-separated text. */
export function tabify(text: string, opts: TabWriterOptions): string {
  const w = new TabWriter(opts);
  w.write(text);
  return w.flush();
}
