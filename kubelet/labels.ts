/**
 * The labels the kubelet puts on every runtime container and sandbox, like upstream's
 * `io.kubernetes.*` labels: after a kubelet restart they are the only record of which
 * pod and spec container a process belongs to and how often it was restarted.
 */
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const LABEL_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const LABEL_CONTAINER_HASH = 'io.kubernetes.container.hash';
/** `init` or `app`: init containers are never restarted once they exited 0. */
export const LABEL_CONTAINER_TYPE = 'k8ts.io/container-type';
/** The pod's grace period, so a pod deleted while the kubelet was away is stopped with it (upstream keeps it as a container annotation). */
export const LABEL_TERMINATION_GRACE = 'io.kubernetes.pod.terminationGracePeriod';
