/**
 * Pod volumes on the node: each volume becomes a host directory that the runtime
 * bind-mounts (or, in the process runtime, exposes) at the container's mountPath.
 *
 * Layout under `<root-dir>/pods/<uid>/volumes/<plugin>/<name>`, like the kubelet's
 * `/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>`:
 * - emptyDir: an empty directory shared by the pod's containers, removed with the pod;
 * - configMap / secret: one file per key (or per `items` entry, at its `path`), mode
 *   `defaultMode` (0644) or the item's `mode`; rewritten on every set-up so a changed
 *   ConfigMap shows on the next container start;
 * - downwardAPI: one file per item (fieldRef);
 * - hostPath: the host path itself (created for DirectoryOrCreate / FileOrCreate).
 *
 * A missing non-optional ConfigMap/Secret fails the set-up with upstream's FailedMount
 * wording; the pod then stays ContainerCreating and is retried.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigMap, Container, Pod, Secret } from '../shared/api/types';
import type { Mount } from './runtime/interface';
import { podFieldValue } from './env';

export class VolumeError extends Error {
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
  }
}

export interface VolumeSources {
  configMap(name: string): ConfigMap | undefined;
  secret(name: string): Secret | undefined;
  podIP?: string;
  hostIP?: string;
}

export function podDir(rootDir: string, uid: string): string {
  return path.join(rootDir, 'pods', uid);
}

function writeFiles(dir: string, files: { path: string; data: Buffer; mode: number }[]): void {
  // Rebuild in a fresh directory and swap it in, so a container never sees half a set.
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  for (const f of files) {
    const rel = path.normalize(f.path);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.data, { mode: f.mode });
    fs.chmodSync(p, f.mode);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
}

/** Sets up every volume of the pod; returns volume name → host path. */
export function setUpVolumes(pod: Pod, rootDir: string, src: VolumeSources): Map<string, string> {
  const uid = pod.metadata!.uid!;
  const base = path.join(podDir(rootDir, uid), 'volumes');
  const out = new Map<string, string>();
  for (const v of pod.spec?.volumes ?? []) {
    if (v.emptyDir) {
      const d = path.join(base, 'empty-dir', v.name);
      fs.mkdirSync(d, { recursive: true });
      out.set(v.name, d);
    } else if (v.hostPath) {
      const t = v.hostPath.type ?? '';
      if (t === 'DirectoryOrCreate') fs.mkdirSync(v.hostPath.path, { recursive: true });
      else if (t === 'FileOrCreate' && !fs.existsSync(v.hostPath.path)) {
        fs.mkdirSync(path.dirname(v.hostPath.path), { recursive: true });
        fs.writeFileSync(v.hostPath.path, '');
      } else if ((t === 'Directory' || t === 'File') && !fs.existsSync(v.hostPath.path)) {
        throw new VolumeError(v.name, `hostPath type check failed: ${v.hostPath.path} is not a ${t === 'Directory' ? 'directory' : 'file'}`);
      }
      out.set(v.name, v.hostPath.path);
    } else if (v.configMap || v.secret) {
      const isCm = !!v.configMap;
      const ref = (v.configMap ?? v.secret)!;
      const name = isCm ? v.configMap!.name ?? '' : v.secret!.secretName ?? '';
      const obj = isCm ? src.configMap(name) : src.secret(name);
      const d = path.join(base, isCm ? 'configmap' : 'secret', v.name);
      const mode = ref.defaultMode ?? 0o644;
      if (!obj) {
        if (!ref.optional) throw new VolumeError(v.name, isCm ? `configmap "${name}" not found` : `secret "${name}" not found`);
        writeFiles(d, []);
        out.set(v.name, d);
        continue;
      }
      const data = new Map<string, Buffer>();
      if (isCm) {
        const cm = obj as ConfigMap;
        for (const [k, val] of Object.entries(cm.data ?? {})) data.set(k, Buffer.from(val, 'utf8'));
        for (const [k, val] of Object.entries(cm.binaryData ?? {})) data.set(k, Buffer.from(val, 'base64'));
      } else {
        const s = obj as Secret;
        for (const [k, val] of Object.entries(s.data ?? {})) data.set(k, Buffer.from(val, 'base64'));
        for (const [k, val] of Object.entries(s.stringData ?? {})) data.set(k, Buffer.from(val, 'utf8'));
      }
      const files: { path: string; data: Buffer; mode: number }[] = [];
      if (ref.items?.length) {
        for (const it of ref.items) {
          const d2 = data.get(it.key);
          if (d2 === undefined) {
            if (ref.optional) continue;
            throw new VolumeError(v.name, `configmap references non-existent config key: ${it.key}`);
          }
          files.push({ path: it.path, data: d2, mode: it.mode ?? mode });
        }
      } else {
        for (const [k, d2] of data) files.push({ path: k, data: d2, mode });
      }
      writeFiles(d, files);
      out.set(v.name, d);
    } else if (v.downwardAPI) {
      const d = path.join(base, 'downward-api', v.name);
      const mode = v.downwardAPI.defaultMode ?? 0o644;
      const files = (v.downwardAPI.items ?? [])
        .filter((it) => it.fieldRef)
        .map((it) => ({ path: it.path, data: Buffer.from(podFieldValue(pod, it.fieldRef!.fieldPath, src)), mode: it.mode ?? mode }));
      writeFiles(d, files);
      out.set(v.name, d);
    } else {
      // Unsupported volume types (PVCs, projected…) get an empty directory for now, so
      // pods that merely declare them still run.
      const d = path.join(base, 'other', v.name);
      fs.mkdirSync(d, { recursive: true });
      out.set(v.name, d);
    }
  }
  return out;
}

/** The container's mounts: volume host path (+ subPath, created if missing), mountPath, readOnly. */
export function mountsFor(container: Container, volumes: Map<string, string>): Mount[] {
  const mounts: Mount[] = [];
  for (const m of container.volumeMounts ?? []) {
    const host = volumes.get(m.name);
    if (host === undefined) throw new VolumeError(m.name, `volume "${m.name}" not found in pod spec`);
    let hostPath = host;
    if (m.subPath) {
      const rel = path.normalize(m.subPath);
      if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`subPath "${m.subPath}" must not be absolute or contain '..'`);
      hostPath = path.join(host, rel);
      if (!fs.existsSync(hostPath)) fs.mkdirSync(hostPath, { recursive: true });
    }
    mounts.push({ hostPath, containerPath: m.mountPath, readOnly: !!m.readOnly });
  }
  return mounts;
}

/** Removes everything the pod had on the node (volumes, per-pod dirs). hostPath targets are never touched. */
export function tearDownPodDir(rootDir: string, uid: string): void {
  fs.rmSync(podDir(rootDir, uid), { recursive: true, force: true });
}
