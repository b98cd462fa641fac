/**
 * The container runtime interface, shaped like Kubernetes' CRI: the kubelet asks for pod
 * sandboxes and containers; the runtime makes them real (processes, namespaces, mounts)
 * and reports their state. Everything the kubelet must know after its own restart is
 * recoverable from the runtime (`listContainers` with labels), as with containerd.
 *
 * Two implementations: the Linux sandbox runtime (namespaces; the default where they can
 * be created) and the process runtime (plain child processes; the loud fallback).
 */

/** An image as pulled into the node's cache. */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  /** `KEY=value` entries, as OCI image configs carry them. */
  env?: string[];
  workingDir?: string;
  /** `80/tcp` */
  exposedPorts?: string[];
}

export interface LocalImage {
  /** The reference as the pod spec wrote it, normalised (`docker.io/library/nginx:1.28`). */
  ref: string;
  /** `sha256:…` of the image content — the container status's imageID. */
  digest: string;
  /** Directory with the image's files: the container's root overlays it on the host userland. */
  rootfs: string;
  config: ImageConfig;
}

export interface PodSandboxConfig {
  podUid: string;
  namespace: string;
  name: string;
  /** The pod's hostname (the pod name, or spec.hostname), shared by its containers. */
  hostname: string;
  /** The pod IP allocated by the kubelet (loopback mode: 127.244.N.x). */
  podIP: string;
  /** Directory for the pod's container logs. */
  logDir: string;
  labels: Record<string, string>;
}

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface ContainerConfig {
  /** The container's name in the pod spec. */
  name: string;
  image: LocalImage;
  /** The final argv, after Kubernetes' command/args vs entrypoint/cmd rules. */
  argv: string[];
  /**
   * The container's env. The runtime lays it over the image's env (this wins) and adds
   * PATH (default), HOSTNAME (pod hostname) and POD_IP when absent.
   */
  env: Record<string, string>;
  /** Absolute path inside the container (created if missing); default the image's, else `/`. */
  workingDir?: string;
  /** Bind mounts of host paths (directories or files); containerPath must be absolute. */
  mounts: Mount[];
  /** Enforced where cgroups allow, else by watching RSS; exceeding it kills with reason OOMKilled. */
  memoryLimitBytes?: number;
  cpuLimitMillicores?: number;
  /**
   * File that receives stdout and stderr, appended in the CRI log format
   * `<RFC3339Nano> stdout|stderr F|P <line>`. The kubelet owns it: removeContainer leaves it.
   */
  logPath: string;
  tty?: boolean;
  stdin?: boolean;
  /**
   * Labels the kubelet reads back after a restart (pod uid, container name, restart
   * count, spec hash…), like kubelet's io.kubernetes.* container labels.
   */
  labels: Record<string, string>;
}

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  name: string;
  state: ContainerState;
  /**
   * Host PID of the container's first process while running (in the Linux sandbox, PID 1
   * of its PID namespace). Stable across a kubelet restart.
   */
  pid?: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /**
   * `OOMKilled` (137), `Error` (≠0; 128+signal for signals), `Completed` (0), or
   * `StartError` (128, with `message` saying why — e.g. `exec: "foo": executable file not
   * found in $PATH` — and startedAt 1970-01-01T00:00:00Z), as containerd reports them.
   */
  reason?: string;
  message?: string;
  image: LocalImage;
  labels: Record<string, string>;
  logPath: string;
}

export interface ContainerFilter {
  sandboxId?: string;
  labels?: Record<string, string>;
}

export interface ExecResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

export interface Runtime {
  /** `linux-sandbox` or `process`; shown as the node's containerRuntimeVersion. */
  readonly name: string;
  readonly version: string;
  /** False for the process runtime: containers share the host's view. */
  readonly isolated: boolean;

  runPodSandbox(cfg: PodSandboxConfig): Promise<string>;
  /** Stops every container of the sandbox (grace as given) and releases its resources. */
  stopPodSandbox(id: string, gracePeriodSeconds: number): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  listPodSandboxes(): Promise<{ id: string; config: PodSandboxConfig }[]>;

  /** Records the container (state `created`); rejects on a config it cannot run (e.g. a relative mount path). */
  createContainer(sandboxId: string, cfg: ContainerConfig): Promise<string>;
  /**
   * Starts a created container once; resolves when its command is running (state
   * `running`, pid set). A container that cannot start (command not found, a volume that
   * cannot be mounted) is not a rejection: it resolves and the status shows `exited` with
   * reason StartError. Rejects for an unknown id or one that was already started.
   */
  startContainer(id: string): Promise<void>;
  /**
   * SIGTERM to the container's whole process group, SIGKILL after the grace period (0 =
   * at once); resolves when every process is gone and the exit is recorded. A no-op for a
   * container that is not running.
   */
  stopContainer(id: string, gracePeriodSeconds: number): Promise<void>;
  /** Stops it (grace 0) if still running and forgets it; the log file stays (the kubelet's). */
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;
  containerStatus(id: string): Promise<ContainerStatus | undefined>;

  /**
   * Runs a command inside a running container (probes; exec streaming comes later), with
   * the container's env and working directory. A command not found in the container's
   * PATH resolves with exitCode 127 and stderr `exec: "foo": executable file not found in
   * $PATH`. Past `timeoutSeconds` (0 = none) the command's processes are killed and the
   * promise rejects with `ExecTimeoutError`; it also rejects when the container is not running.
   */
  execSync(id: string, argv: string[], timeoutSeconds: number): Promise<ExecResult>;
}

/** execSync ran past its timeout (the kubelet's exec probe reports it as a failure). */
export class ExecTimeoutError extends Error {
  constructor(
    readonly argv: string[],
    readonly timeoutSeconds: number,
  ) {
    super(`command ${JSON.stringify(argv)} timed out after ${timeoutSeconds}s`);
    this.name = 'ExecTimeoutError';
  }
}
