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
  env: Record<string, string>;
  workingDir?: string;
  mounts: Mount[];
  /** Enforced where cgroups allow, else by watching RSS; exceeding it kills with reason OOMKilled. */
  memoryLimitBytes?: number;
  cpuLimitMillicores?: number;
  /** File that receives stdout and stderr (kubelet CRI log format or plain lines). */
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
  /** Host PID of the container's first process while running. */
  pid?: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** `OOMKilled`, `Error`, `Completed` (the terminated reason a kubelet reports). */
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

  createContainer(sandboxId: string, cfg: ContainerConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM to the container's whole process group, SIGKILL after the grace period; resolves when every process is gone. */
  stopContainer(id: string, gracePeriodSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;
  containerStatus(id: string): Promise<ContainerStatus | undefined>;

  /** Runs a command inside a running container (probes; exec streaming comes later). */
  execSync(id: string, argv: string[], timeoutSeconds: number): Promise<ExecResult>;
}
