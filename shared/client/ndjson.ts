/**
 * Splits a watch stream (newline-delimited JSON, Kubernetes' `?watch=true` framing) into
 * lines, whatever the chunk boundaries: a chunk may end mid-line or even mid-character,
 * and one chunk may hold many events.
 *
 * Bytes are buffered until a `\n` arrives and only complete lines are decoded, so a
 * multi-byte UTF-8 character split across two chunks is never mangled. `\r\n` and blank
 * lines (some servers send them as keep-alives) are tolerated.
 */

const NEWLINE = 0x0a;

export class NdjsonSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Feeds one chunk; returns the complete, non-blank lines it finished (without `\n`). */
  push(chunk: Buffer | Uint8Array | string): string[] {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    const lines: string[] = [];
    let nl = buf.indexOf(NEWLINE);
    while (nl >= 0) {
      const head = buf.subarray(0, nl);
      const line = this.pendingBytes > 0 ? Buffer.concat([...this.pending, head]) : head;
      this.pending = [];
      this.pendingBytes = 0;
      pushLine(lines, line);
      buf = buf.subarray(nl + 1);
      nl = buf.indexOf(NEWLINE);
    }
    if (buf.length > 0) {
      // Keep a copy: the caller may reuse the chunk's memory.
      this.pending.push(Buffer.from(buf));
      this.pendingBytes += buf.length;
    }
    return lines;
  }

  /** End of stream: the last line may lack its `\n`. */
  end(): string[] {
    const lines: string[] = [];
    if (this.pendingBytes > 0) pushLine(lines, Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
    return lines;
  }
}

function pushLine(lines: string[], bytes: Buffer): void {
  const text = bytes.toString('utf8').trim();
  if (text !== '') lines.push(text);
}

/**
 * Parses one NDJSON line into a watch event. Returns undefined for a line that is not a
 * JSON object with a string `type` (client-go and client-node skip such lines too).
 */
export function parseWatchLine<T = unknown>(line: string): { type: string; object: T } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const ev = value as { type?: unknown; object?: unknown };
  if (typeof ev.type !== 'string') return undefined;
  return { type: ev.type, object: ev.object as T };
}
