/**
 * Reading manifests for `-f` (create, apply, delete): files, directories (their
 * `.yaml`/`.yml`/`.json` files in name order; `-R` recurses), `-` for stdin, http(s) URLs.
 * A file may hold several YAML documents, one JSON object, or a `kind: List` whose items
 * are expanded.
 *
 * Everything is parsed before anything is sent: a syntax error anywhere (e.g. YAML
 * indented with tabs) is one line naming the file and the line, and nothing is created.
 *
 * YAML is read as kubectl reads it (go-yaml v2, YAML 1.1): `0644` is octal, `yes`/`on`
 * are booleans, timestamps stay strings, `<<` merge keys work.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import type { KObject } from '../shared/api/types';
import { CliError } from './errors';

export interface ManifestObject {
  /** The file as the user named it (`STDIN` for `-`). */
  source: string;
  object: KObject;
}

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** YAML 1.1 like go-yaml v2, but timestamps stay strings (v2 keeps them strings in maps). */
const YAML_OPTIONS = {
  version: '1.1' as const,
  merge: true,
  customTags: (tags: YAML.Tags) => tags.filter((t) => (typeof t === 'object' ? t.tag !== 'tag:yaml.org,2002:timestamp' : true)),
};

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function yamlErrorLine(source: string, err: YAML.YAMLError): string {
  const line = err.linePos?.[0]?.line;
  let msg: string;
  if (err.code === 'TAB_AS_INDENT') msg = 'found a tab character where an indentation space is expected (YAML indentation must use spaces)';
  else msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return `error parsing ${source}: error converting YAML to JSON: yaml: ${line !== undefined ? `line ${line}: ` : ''}${msg}`;
}

function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? `line ${lineOfOffset(text, Number(m[1]))}: ` : '';
    throw new CliError(`error parsing ${source}: ${line}${(err as Error).message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}

/** Objects of one manifest text (pure). Throws CliError naming `source` and the line. */
export function parseManifestText(text: string, source: string): KObject[] {
  const docs: unknown[] = [];
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (jsonErr) {
      // Flow-style YAML looks like JSON; only if YAML also fails is it an error.
      const parsed = YAML.parseAllDocuments(text, YAML_OPTIONS);
      const list = Array.isArray(parsed) ? parsed : [parsed];
      if (list.some((d) => d.errors.length > 0)) parseJsonText(trimmed, source);
      value = undefined;
      for (const d of list) docs.push(d.toJS({ maxAliasCount: -1 }));
    }
    if (value !== undefined) {
      if (Array.isArray(value)) docs.push(...value);
      else docs.push(value);
    }
  } else {
    const parsed = YAML.parseAllDocuments(text, YAML_OPTIONS);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    for (const d of list) {
      if (d.errors.length > 0) throw new CliError(yamlErrorLine(source, d.errors[0]));
    }
    for (const d of list) docs.push(d.toJS({ maxAliasCount: -1 }));
  }
  const out: KObject[] = [];
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      throw new CliError(`error parsing ${source}: a document is not an object (got ${Array.isArray(doc) ? 'a list' : JSON.stringify(doc)})`);
    }
    expandList(doc as Record<string, unknown>, source, out);
  }
  return out;
}

function checkTypeMeta(obj: Record<string, unknown>, source: string): void {
  const missing: string[] = [];
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') missing.push('apiVersion not set');
  if (typeof obj.kind !== 'string' || obj.kind === '') missing.push('kind not set');
  if (missing.length > 0) {
    const what = missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`;
    throw new CliError(`error validating "${source}": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`);
  }
}

function expandList(obj: Record<string, unknown>, source: string, out: KObject[]): void {
  checkTypeMeta(obj, source);
  const kind = obj.kind as string;
  if ((kind === 'List' || kind.endsWith('List')) && Array.isArray(obj.items)) {
    for (const item of obj.items) {
      if (!item || typeof item !== 'object' || Array.isArray(item)) throw new CliError(`error parsing ${source}: a List item is not an object`);
      expandList(item as Record<string, unknown>, source, out);
    }
    return;
  }
  const o = obj as KObject;
  if (!o.metadata || typeof o.metadata !== 'object') o.metadata = {};
  out.push(o);
}

async function readStdin(stdin: NodeJS.ReadableStream | string | undefined): Promise<string> {
  if (typeof stdin === 'string') return stdin;
  const stream = stdin ?? process.stdin;
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function listDir(dir: string, shown: string, recursive: boolean): { file: string; shown: string }[] {
  const out: { file: string; shown: string }[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    const show = path.join(shown, e.name);
    if (e.isDirectory()) {
      if (recursive) out.push(...listDir(full, show, recursive));
    } else if (EXTENSIONS.includes(path.extname(e.name).toLowerCase())) {
      out.push({ file: full, shown: show });
    }
  }
  return out;
}

export interface ReadOptions {
  cwd: string;
  stdin?: NodeJS.ReadableStream | string;
  recursive?: boolean;
}

/** Reads and parses every `-f` argument; throws on the first problem, before any request. */
export async function readManifests(files: string[], opts: ReadOptions): Promise<ManifestObject[]> {
  if (files.length === 0) throw new CliError('must specify one of -f and -k');
  const texts: { source: string; text: string }[] = [];
  for (const f of files) {
    if (f === '-') {
      texts.push({ source: 'STDIN', text: await readStdin(opts.stdin) });
      continue;
    }
    if (/^https?:\/\//.test(f)) {
      let res: Response;
      try {
        res = await fetch(f);
      } catch (err) {
        throw new CliError(`unable to read URL "${f}": ${(err as Error).message}`);
      }
      if (!res.ok) throw new CliError(`unable to read URL "${f}", server reported ${res.status} ${res.statusText}, status code=${res.status}`);
      texts.push({ source: f, text: await res.text() });
      continue;
    }
    const full = path.resolve(opts.cwd, f);
    let st: fs.Stats;
    try {
      st = fs.statSync(full);
    } catch {
      throw new CliError(`the path "${f}" does not exist`);
    }
    if (st.isDirectory()) {
      for (const e of listDir(full, f, !!opts.recursive)) texts.push({ source: e.shown, text: fs.readFileSync(e.file, 'utf8') });
    } else {
      texts.push({ source: f, text: fs.readFileSync(full, 'utf8') });
    }
  }
  const out: ManifestObject[] = [];
  for (const t of texts) for (const object of parseManifestText(t.text, t.source)) out.push({ source: t.source, object });
  return out;
}
