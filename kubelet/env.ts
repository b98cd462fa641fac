/**
 * The container's environment and argv, by Kubernetes' rules (pure; no I/O).
 *
 * - env order: the image's env, then `envFrom` sources in order, then `env` in order;
 *   a later entry overrides an earlier one with the same name (kubelet makeEnvironmentVariables).
 * - `$(VAR)` in `env[].value`, `command` and `args` expands from the variables defined so
 *   far; `$$(VAR)` escapes to a literal `$(VAR)`; an undefined `$(VAR)` stays as written
 *   (third_party/forked/golang/expansion).
 * - argv: `command` replaces the image ENTRYPOINT and drops CMD; `args` replaces CMD.
 *
 * Lookups of ConfigMaps/Secrets are passed in already fetched, so this module stays
 * pure; a missing non-optional source throws ConfigError with upstream's message, which
 * the pod worker reports as `CreateContainerConfigError`.
 */
import type { ConfigMap, Container, Pod, Secret } from '../shared/api/types';
import { QUANTITY_FORMAT_ERROR, quantityNumber } from '../shared/quantity';

export class ConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
}

export interface EnvSources {
  /** ConfigMaps of the pod's namespace by name; `undefined` = not found. */
  configMap(name: string): ConfigMap | undefined;
  secret(name: string): Secret | undefined;
  podIP?: string;
  hostIP?: string;
}

/** Expands `$(VAR)` references (Kubernetes' expansion rules). */
export function expand(input: string, vars: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const n = input[i + 1];
    if (n === '$') {
      // `$$` is an escaped `$`.
      out += '$';
      i++;
    } else if (n === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        // An unterminated reference is kept verbatim.
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const v = name ? vars(name) : undefined;
      out += v !== undefined ? v : `$(${name})`;
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

/** `KEY=value` entries → a map (first `=` splits). */
export function parseEnvList(list: string[] | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of list ?? []) {
    const i = e.indexOf('=');
    if (i < 0) m.set(e, '');
    else m.set(e.slice(0, i), e.slice(i + 1));
  }
  return m;
}

/** Resolves a downward-API `fieldRef.fieldPath` for env or a downwardAPI volume. */
export function podFieldValue(pod: Pod, fieldPath: string, ips: { podIP?: string; hostIP?: string }): string {
  const md = pod.metadata ?? {};
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (m) return ((m[1] === 'labels' ? md.labels : md.annotations) ?? {})[m[2]] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return md.name ?? '';
    case 'metadata.namespace':
      return md.namespace ?? '';
    case 'metadata.uid':
      return md.uid ?? '';
    case 'metadata.labels':
      return formatMap(md.labels);
    case 'metadata.annotations':
      return formatMap(md.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return ips.hostIP ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return ips.podIP ?? '';
    default:
      throw new ConfigError(`unsupported fieldPath: ${fieldPath}`);
  }
}

/** `key="value"` lines sorted by key, as the downward API renders whole label/annotation maps. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/** Quantity of a container resource for `resourceFieldRef` (limits.memory in bytes, limits.cpu in cores rounded up). */
function resourceFieldValue(container: Container, resource: string, divisor?: string): string {
  const [kind, name] = resource.split('.');
  const src = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
  const raw = src?.[name] as string | undefined;
  const div = divisor ? parseQuantity(divisor) : name === 'cpu' ? 1 : 1;
  const v = raw !== undefined ? parseQuantity(String(raw)) : 0;
  return String(Math.ceil(v / (div || 1)));
}

/** Parses a Kubernetes quantity (`500m`, `128Mi`, `1G`, `2`) into a number (cores or bytes); throws Kubernetes' format error when it is not one. */
export function parseQuantity(q: string | number): number {
  const n = quantityNumber(q);
  if (n === undefined) throw new Error(QUANTITY_FORMAT_ERROR);
  return n;
}

function decodeSecret(s: Secret, key: string): string | undefined {
  const d = s.data?.[key];
  if (d !== undefined) return Buffer.from(d, 'base64').toString('utf8');
  return (s as { stringData?: Record<string, string> }).stringData?.[key];
}

function keysOfSecret(s: Secret): string[] {
  return [...new Set([...Object.keys(s.data ?? {}), ...Object.keys((s as { stringData?: Record<string, string> }).stringData ?? {})])];
}

/**
 * The environment of one container: image env, envFrom, env (with valueFrom), then the
 * k8ts additions `POD_IP` (built-in images bind it in loopback mode) and `HOSTNAME`.
 * Throws ConfigError for a missing ConfigMap/Secret/key that is not optional.
 */
export function buildEnv(pod: Pod, container: Container, imageEnv: string[] | undefined, src: EnvSources): Record<string, string> {
  const ns = pod.metadata?.namespace ?? 'default';
  const env = parseEnvList(imageEnv);
  // Service links and the like would go here; `$(VAR)` in env values sees only the
  // pod-level variables defined earlier in the list (plus envFrom), not the image's.
  const defined = new Map<string, string>();
  const set = (k: string, v: string) => {
    env.set(k, v);
    defined.set(k, v);
  };

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = src.configMap(from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) set(prefix + k, v);
    } else if (from.secretRef) {
      const s = src.secret(from.secretRef.name ?? '');
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const k of keysOfSecret(s)) set(prefix + k, decodeSecret(s, k) ?? '');
    }
  }

  for (const e of container.env ?? []) {
    if (e.valueFrom === undefined) {
      set(e.name, expand(e.value ?? '', (n) => defined.get(n)));
      continue;
    }
    const vf = e.valueFrom;
    if (vf.fieldRef) {
      set(e.name, podFieldValue(pod, vf.fieldRef.fieldPath, src));
    } else if (vf.resourceFieldRef) {
      set(e.name, resourceFieldValue(container, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor as string | undefined));
    } else if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const cm = src.configMap(ref.name ?? '');
      if (!cm) {
        if (ref.optional) continue;
        throw new ConfigError(`configmap "${ref.name}" not found`);
      }
      const v = cm.data?.[ref.key];
      if (v === undefined) {
        if (ref.optional) continue;
        throw new ConfigError(`couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}`);
      }
      set(e.name, v);
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = src.secret(ref.name ?? '');
      if (!s) {
        if (ref.optional) continue;
        throw new ConfigError(`secret "${ref.name}" not found`);
      }
      const v = decodeSecret(s, ref.key);
      if (v === undefined) {
        if (ref.optional) continue;
        throw new ConfigError(`couldn't find key ${ref.key} in Secret ${ns}/${ref.name}`);
      }
      set(e.name, v);
    }
  }

  if (!env.has('HOSTNAME')) env.set('HOSTNAME', pod.spec?.hostname || pod.metadata?.name || '');
  if (src.podIP && !env.has('POD_IP')) env.set('POD_IP', src.podIP);
  return Object.fromEntries(env);
}

/** The process argv: command/args over the image's entrypoint/cmd, then `$(VAR)` expansion from the container env. */
export function buildArgv(container: Container, image: { entrypoint?: string[]; cmd?: string[] }, env: Record<string, string>): string[] {
  const vars = (n: string) => (Object.prototype.hasOwnProperty.call(env, n) ? env[n] : undefined);
  const command = (container.command ?? []).map((s) => expand(s, vars));
  const args = (container.args ?? []).map((s) => expand(s, vars));
  if (command.length > 0) return [...command, ...args];
  if (args.length > 0) return [...(image.entrypoint ?? []), ...args];
  return [...(image.entrypoint ?? []), ...(image.cmd ?? [])];
}
