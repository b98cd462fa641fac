/**
 * kubectl's describe PrefixWriter: text written at an indentation level (2 spaces per
 * level) into a Go-compatible tab writer (minwidth 0, tabwidth 8, padding 2), so `Key:\tvalue`
 * lines align within each run of consecutive tabbed lines, exactly as kubectl's do.
 * `flush()` ends the alignment scope early (DescribeEvents does that).
 */
import { DESCRIBE_OPTIONS, TabWriter } from '../printers/tabwriter';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;
export const LEVEL_4 = 4;

export class PrefixWriter {
  private readonly tw = new TabWriter(DESCRIBE_OPTIONS);
  private done = '';

  /** Writes `text` prefixed with the level's indentation. */
  write(level: number, text: string): void {
    this.tw.write('  '.repeat(level) + text);
  }

  /** Writes a line with no indentation (Go's WriteLine). */
  line(text: string): void {
    this.tw.write(text + '\n');
  }

  flush(): void {
    this.done += this.tw.flush();
  }

  toString(): string {
    this.flush();
    return this.done;
  }
}
