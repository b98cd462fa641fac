/**
 * Validation, table-driven: each case is a manifest (defaulted first, as the API server
 * does), optionally the stored object it updates, and the exact `field: message` lines
 * kube-apiserver reports for it (what kubectl prints after `is invalid:`).
 */
import { findByKind } from '../../apiserver/registry/resources';
import { applyDefaults } from '../../apiserver/validation/defaults';
import { validate } from '../../apiserver/validation';
import { cronScheduleErrors } from '../../apiserver/validation/workloads';
import { invalid } from '../../shared/api/errors';
import type { KObject } from '../../shared/api/types';
import { clone } from '../../shared/api/types';

type Obj = Record<string, any>;

const VERSIONS: Record<string, string> = { autoscaling: 'v2' };

function prepare(group: string, kind: string, o: Obj): { r: NonNullable<ReturnType<typeof findByKind>>; obj: KObject } {
  const r = findByKind(group, VERSIONS[group] ?? 'v1', kind);
  if (!r) throw new Error(`no resource ${group}/${kind}`);
  const obj = clone(o) as KObject;
  obj.metadata ??= {};
  if (r.namespaced && obj.metadata.namespace === undefined) obj.metadata.namespace = 'default';
  if (obj.metadata.name === undefined && obj.metadata.generateName === undefined) obj.metadata.name = 'x';
  applyDefaults(r, obj);
  return { r, obj };
}

/** `field: message` lines for creating (or, with `old`, updating) the object. */
function errors(group: string, kind: string, o: Obj, old?: Obj): string[] {
  const { r, obj } = prepare(group, kind, o);
  const prev = old ? prepare(group, kind, old).obj : undefined;
  return validate(r, obj, prev).map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
}

const c = (extra: Obj = {}) => ({ name: 'web', image: 'nginx', ...extra });
const pod = (spec: Obj, meta: Obj = {}) => ({ metadata: { name: 'web', ...meta }, spec: { containers: [c()], ...spec } });
const labels = { app: 'web' };
const template = (spec: Obj = {}, meta: Obj = { labels }) => ({ metadata: meta, spec: { containers: [c()], ...spec } });
const deploy = (spec: Obj = {}) => ({ metadata: { name: 'web' }, spec: { selector: { matchLabels: labels }, template: template(), ...spec } });

const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

interface Case {
  name: string;
  group?: string;
  kind: string;
  obj: Obj;
  old?: Obj;
  want: string[];
}

const cases: Case[] = [
  // ---- metadata
  { name: 'valid pod', kind: 'Pod', obj: pod({}), want: [] },
  { name: 'bad subdomain name', kind: 'Pod', obj: pod({}, { name: 'Bad_Name' }), want: [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`] },
  { name: 'name required', kind: 'ConfigMap', obj: { metadata: { name: '' } }, want: ['metadata.name: Required value: name or generateName is required'] },
  { name: 'generateName prefix with trailing dash is fine', kind: 'ConfigMap', obj: { metadata: { name: '', generateName: 'cfg-' } }, want: [] },
  { name: 'name too long', kind: 'ConfigMap', obj: { metadata: { name: 'a'.repeat(254) } }, want: [`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`] },
  { name: 'namespace name is a DNS label', kind: 'Namespace', obj: { metadata: { name: 'a.b' } }, want: [`metadata.name: Invalid value: "a.b": ${LABEL_MSG}`] },
  { name: 'service name is a DNS-1035 label', kind: 'Service', obj: { metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } }, want: [`metadata.name: Invalid value: "1web": ${DNS1035_MSG}`] },
  { name: 'namespace on a cluster-scoped kind', kind: 'Node', obj: { metadata: { name: 'n1', namespace: 'default' } }, want: ['metadata.namespace: Forbidden: not allowed on this type'] },
  {
    name: 'label key and value syntax', kind: 'ConfigMap', obj: { metadata: { name: 'x', labels: { 'bad key': 'ok', good: 'bad value!' } } },
    want: [
      "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "metadata.labels: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
  },
  { name: 'label prefix must be a subdomain', kind: 'ConfigMap', obj: { metadata: { name: 'x', labels: { 'Example.com/a': 'b' } } }, want: [`metadata.labels: Invalid value: "Example.com/a": prefix part ${SUBDOMAIN_MSG}`] },
  { name: 'annotations total size', kind: 'ConfigMap', obj: { metadata: { name: 'x', annotations: { a: 'x'.repeat(256 * 1024) } } }, want: ['metadata.annotations: Too long: may not be more than 262144 bytes'] },
  { name: 'finalizer must be qualified or standard', kind: 'ConfigMap', obj: { metadata: { name: 'x', finalizers: ['mine', 'example.com/mine', 'kubernetes'] } }, want: ['metadata.finalizers[0]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified'] },

  // ---- pods
  { name: 'containers required', kind: 'Pod', obj: { metadata: { name: 'p' }, spec: { containers: [] } }, want: ['spec.containers: Required value'] },
  { name: 'container image required', kind: 'Pod', obj: pod({ containers: [{ name: 'web' }] }), want: ['spec.containers[0].image: Required value'] },
  { name: 'container name required and DNS label', kind: 'Pod', obj: pod({ containers: [c({ name: '' }), c({ name: 'Web' })] }), want: ['spec.containers[0].name: Required value', `spec.containers[1].name: Invalid value: "Web": ${LABEL_MSG}`] },
  { name: 'duplicate container names', kind: 'Pod', obj: pod({ containers: [c(), c()] }), want: ['spec.containers[1].name: Duplicate value: "web"'] },
  { name: 'init container duplicates a container', kind: 'Pod', obj: pod({ initContainers: [c()] }), want: ['spec.initContainers[0].name: Duplicate value: "web"'] },
  {
    name: 'ports range, protocol, names', kind: 'Pod',
    obj: pod({ containers: [c({ ports: [{ containerPort: 0 }, { containerPort: 70000, protocol: 'HTTP' }, { name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }, { name: 'Bad_Name', containerPort: 82 }] })] }),
    want: [
      'spec.containers[0].ports[0].containerPort: Required value',
      'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[3].name: Duplicate value: "http"',
      'spec.containers[0].ports[4].name: Invalid value: "Bad_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ],
  },
  { name: 'restartPolicy enum', kind: 'Pod', obj: pod({ restartPolicy: 'Sometimes' }), want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'] },
  { name: 'dnsPolicy enum', kind: 'Pod', obj: pod({ dnsPolicy: 'Google' }), want: ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'] },
  { name: 'dnsPolicy None needs dnsConfig', kind: 'Pod', obj: pod({ dnsPolicy: 'None' }), want: ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'] },
  { name: 'imagePullPolicy enum', kind: 'Pod', obj: pod({ containers: [c({ imagePullPolicy: 'Sometimes' })] }), want: ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'] },
  { name: 'image whitespace on pods', kind: 'Pod', obj: pod({ containers: [c({ image: ' nginx' })] }), want: ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'] },
  {
    name: 'volumes: names unique, exactly one source', kind: 'Pod',
    obj: pod({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {}, hostPath: { path: '/x' } }, { name: 'c', configMap: {} }] }),
    want: [
      'spec.volumes[1].name: Duplicate value: "a"',
      'spec.volumes[2].hostPath: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[3].configMap.name: Required value',
    ],
  },
  {
    name: 'volumeMounts refer to existing volumes, unique mountPath', kind: 'Pod',
    obj: pod({ volumes: [{ name: 'data', emptyDir: {} }], containers: [c({ volumeMounts: [{ name: 'data', mountPath: '/d' }, { name: 'nope', mountPath: '/d' }, { name: 'data' }] })] }),
    want: [
      'spec.containers[0].volumeMounts[1].name: Not found: "nope"',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique',
      'spec.containers[0].volumeMounts[2].mountPath: Required value',
    ],
  },
  {
    name: 'resources: quantity syntax, non-negative, requests <= limits', kind: 'Pod',
    obj: pod({ containers: [c({ resources: { limits: { cpu: '1', memory: 'lots' }, requests: { cpu: '2', 'ephemeral-storage': '-1' } } })] }),
    want: [
      "spec.containers[0].resources.limits[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      // (requests.memory is copied from limits by defaulting; Go reports map entries in random order)
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.containers[0].resources.requests[ephemeral-storage]: Invalid value: "-1": must be greater than or equal to 0',
      "spec.containers[0].resources.requests[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    ],
  },
  { name: 'non-standard resource name', kind: 'Pod', obj: pod({ containers: [c({ resources: { limits: { gpu: '1' } } })] }), want: ['spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers', 'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers'] },
  {
    name: 'probe handlers: none, two', kind: 'Pod',
    obj: pod({ containers: [c({ livenessProbe: { periodSeconds: 5 }, readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } })] }),
    want: ['spec.containers[0].livenessProbe: Required value: must specify a handler type', 'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'],
  },
  {
    name: 'probe details', kind: 'Pod',
    obj: pod({ containers: [c({ livenessProbe: { httpGet: { port: 0, scheme: 'FTP' }, successThreshold: 2 }, startupProbe: { exec: { command: [] } } })] }),
    want: [
      'spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].startupProbe.exec.command: Required value',
    ],
  },
  { name: 'init containers may not have probes', kind: 'Pod', obj: pod({ initContainers: [c({ name: 'init', readinessProbe: { exec: { command: ['x'] } } })] }), want: ['spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'] },
  { name: 'sidecar init containers may', kind: 'Pod', obj: pod({ initContainers: [c({ name: 'side', restartPolicy: 'Always', readinessProbe: { exec: { command: ['x'] } } })] }), want: [] },
  { name: 'restartPolicy on a regular container', kind: 'Pod', obj: pod({ containers: [c({ restartPolicy: 'Always' })] }), want: ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'] },
  {
    name: 'env names and valueFrom', kind: 'Pod',
    obj: pod({ containers: [c({ env: [{ name: '' }, { name: 'A=B' }, { name: 'X', value: 'v', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'Y', valueFrom: {} }, { name: 'Z', valueFrom: { fieldRef: { fieldPath: 'spec.host' } } }, { name: 'S', valueFrom: { secretKeyRef: { name: 's' } } }] })] }),
    want: [
      'spec.containers[0].env[0].name: Required value',
      "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
      'spec.containers[0].env[2].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      'spec.containers[0].env[3].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      'spec.containers[0].env[4].valueFrom.fieldRef.fieldPath: Invalid value: "spec.host": error converting fieldPath: field label not supported: spec.host',
      'spec.containers[0].env[5].valueFrom.secretKeyRef.key: Required value',
    ],
  },
  { name: 'env fieldRef to a pod field env cannot use', kind: 'Pod', obj: pod({ containers: [c({ env: [{ name: 'P', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }] })] }), want: ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"'] },
  { name: 'env fieldRef to a label needs a subscript', kind: 'Pod', obj: pod({ containers: [c({ env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } }] })] }), want: ['spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"'] },
  { name: 'downwardAPI volume may use labels whole', kind: 'Pod', obj: pod({ volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: '../x', fieldRef: { fieldPath: 'spec.nodeName' } }] } }] }), want: ["spec.volumes[0].downwardAPI.items[1].path: Invalid value: \"../x\": must not contain '..'", "spec.volumes[0].downwardAPI.items[1].path: Invalid value: \"../x\": must not start with '..'", 'spec.volumes[0].downwardAPI.items[1].fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"'] },
  { name: 'tolerations', kind: 'Pod', obj: pod({ tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }, { key: 'b', operator: 'Maybe' }, { key: 'c', effect: 'Sometimes' }] }), want: ["spec.tolerations[0].operator: Invalid value: {\"key\":\"a\",\"operator\":\"Exists\",\"value\":\"x\"}: value must be empty when `operator` is 'Exists'", 'spec.tolerations[1].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"', 'spec.tolerations[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'] },

  // ---- pod updates
  { name: 'pod update: image may change', kind: 'Pod', obj: pod({ containers: [c({ image: 'nginx:1.27' })] }), old: pod({ containers: [c({ image: 'nginx:1.26' })] }), want: [] },
  {
    name: 'pod update: other spec fields may not', kind: 'Pod', obj: pod({ nodeSelector: { disk: 'ssd' } }), old: pod({}),
    want: ['spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  changed: spec.nodeSelector'],
  },
  { name: 'pod update: containers may not be added', kind: 'Pod', obj: pod({ containers: [c(), c({ name: 'two' })] }), old: pod({}), want: ['spec.containers: Forbidden: pod updates may not add or remove containers'] },
  { name: 'pod update: activeDeadlineSeconds may only shrink', kind: 'Pod', obj: pod({ activeDeadlineSeconds: 60 }), old: pod({ activeDeadlineSeconds: 30 }), want: ['spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value'] },
  { name: 'pod update: tolerations may be added', kind: 'Pod', obj: pod({ tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }), old: pod({ tolerations: [{ key: 'a', operator: 'Exists' }] }), want: [] },
  { name: 'pod update: tolerations may not be removed', kind: 'Pod', obj: pod({}), old: pod({ tolerations: [{ key: 'a', operator: 'Exists' }] }), want: ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds'] },
  { name: 'pod update: name is immutable', kind: 'Pod', obj: pod({}, { name: 'b' }), old: pod({}, { name: 'a' }), want: ['metadata.name: Invalid value: "b": field is immutable'] },

  // ---- apps
  { name: 'valid deployment', group: 'apps', kind: 'Deployment', obj: deploy(), want: [] },
  { name: 'deployment selector required', group: 'apps', kind: 'Deployment', obj: deploy({ selector: undefined }), want: ['spec.selector: Required value'] },
  { name: 'deployment empty selector', group: 'apps', kind: 'Deployment', obj: deploy({ selector: {} }), want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'] },
  { name: 'deployment selector must match template labels', group: 'apps', kind: 'Deployment', obj: deploy({ selector: { matchLabels: { app: 'db' } } }), want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'] },
  { name: 'deployment selector with expressions', group: 'apps', kind: 'Deployment', obj: deploy({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } }), want: [] },
  { name: 'deployment bad selector operator', group: 'apps', kind: 'Deployment', obj: deploy({ selector: { matchLabels: labels, matchExpressions: [{ key: 'app', operator: 'Is' }, { key: 'x', operator: 'In' }] } }), want: ['spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator', "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'", 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Is", Values:[]string(nil)}, v1.LabelSelectorRequirement{Key:"x", Operator:"In", Values:[]string(nil)}}}: invalid label selector'] },
  { name: 'deployment negative replicas', group: 'apps', kind: 'Deployment', obj: deploy({ replicas: -1 }), want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
  { name: 'deployment template restartPolicy must be Always', group: 'apps', kind: 'Deployment', obj: deploy({ template: template({ restartPolicy: 'OnFailure' }) }), want: ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'] },
  { name: 'deployment template pod spec is validated', group: 'apps', kind: 'Deployment', obj: deploy({ template: template({ containers: [{ name: 'web' }] }) }), want: ['spec.template.spec.containers[0].image: Required value'] },
  { name: 'deployment template label syntax (reported at spec.template.labels)', group: 'apps', kind: 'Deployment', obj: deploy({ template: template({}, { labels: { app: 'web', tier: 'x y' } }) }), want: [expect.stringMatching(/^spec\.template\.labels: Invalid value: "x y": a valid label/) as unknown as string] },
  { name: 'deployment selector that does not parse skips the template checks', group: 'apps', kind: 'Deployment', obj: deploy({ selector: { matchLabels: { app: 'x y' } }, template: template({ containers: [] }, { labels: { app: 'x y' } }) }), want: [expect.stringMatching(/^spec\.selector\.matchLabels: Invalid value: "x y": a valid label/) as unknown as string, 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: invalid label selector'] },
  { name: 'deployment strategy enum', group: 'apps', kind: 'Deployment', obj: deploy({ strategy: { type: 'BlueGreen' } }), want: ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'] },
  { name: 'deployment Recreate with rollingUpdate', group: 'apps', kind: 'Deployment', obj: deploy({ strategy: { type: 'Recreate', rollingUpdate: {} } }), want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"] },
  {
    name: 'deployment rollingUpdate values', group: 'apps', kind: 'Deployment', obj: deploy({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%', maxSurge: 'lots' } } }),
    want: [
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"lots\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    ],
  },
  { name: 'deployment maxSurge and maxUnavailable both 0', group: 'apps', kind: 'Deployment', obj: deploy({ strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }), want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'] },
  { name: 'deployment progressDeadlineSeconds > minReadySeconds', group: 'apps', kind: 'Deployment', obj: deploy({ minReadySeconds: 10, progressDeadlineSeconds: 10 }), want: ['spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds'] },
  { name: 'deployment selector is immutable', group: 'apps', kind: 'Deployment', obj: deploy({ selector: { matchLabels: { app: 'web', v: '2' } }, template: template({}, { labels: { app: 'web', v: '2' } }) }), old: deploy(), want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'] },
  { name: 'deployment update of replicas and template is fine', group: 'apps', kind: 'Deployment', obj: deploy({ replicas: 5, template: template({ containers: [c({ image: 'nginx:2' })] }) }), old: deploy(), want: [] },
  { name: 'replicaset empty selector (kube-apiserver says deployment)', group: 'apps', kind: 'ReplicaSet', obj: deploy({ selector: {} }), want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'] },
  { name: 'replicaset activeDeadlineSeconds', group: 'apps', kind: 'ReplicaSet', obj: deploy({ template: template({ activeDeadlineSeconds: 5 }) }), want: ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported'] },
  { name: 'valid daemonset', group: 'apps', kind: 'DaemonSet', obj: deploy(), want: [] },
  { name: 'daemonset strategy enum', group: 'apps', kind: 'DaemonSet', obj: deploy({ updateStrategy: { type: 'Surge' } }), want: ['spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Surge", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"'] },
  { name: 'daemonset maxUnavailable and maxSurge both 0', group: 'apps', kind: 'DaemonSet', obj: deploy({ updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }), want: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'] },
  { name: 'daemonset selector immutable', group: 'apps', kind: 'DaemonSet', obj: deploy({ selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } }), old: deploy(), want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Exists", Values:[]string(nil)}}}: field is immutable'] },
  { name: 'valid statefulset', group: 'apps', kind: 'StatefulSet', obj: deploy({ serviceName: 'web' }), want: [] },
  { name: 'statefulset spec update beyond the allowed fields', group: 'apps', kind: 'StatefulSet', obj: deploy({ serviceName: 'other' }), old: deploy({ serviceName: 'web' }), want: ["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"] },
  { name: 'statefulset podManagementPolicy', group: 'apps', kind: 'StatefulSet', obj: deploy({ podManagementPolicy: 'Random' }), want: ["spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"] },

  // ---- batch
  { name: 'valid job', group: 'batch', kind: 'Job', obj: { metadata: { name: 'pi', uid: 'u1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [c()] } } } }, want: [] },
  { name: 'job template restartPolicy defaulted to Always', group: 'batch', kind: 'Job', obj: { metadata: { name: 'pi', uid: 'u1' }, spec: { template: { spec: { containers: [c()] } } } }, want: ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'] },
  { name: 'job negative parallelism/completions', group: 'batch', kind: 'Job', obj: { metadata: { name: 'pi', uid: 'u1' }, spec: { parallelism: -1, completions: -2, template: { spec: { restartPolicy: 'OnFailure', containers: [c()] } } } }, want: ['spec.parallelism: Invalid value: -1: must be greater than or equal to 0', 'spec.completions: Invalid value: -2: must be greater than or equal to 0'] },
  { name: 'job without uid has no generated selector', group: 'batch', kind: 'Job', obj: { metadata: { name: 'pi' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [c()] } } } }, want: ['spec.selector: Required value'] },
  {
    name: 'job template is immutable', group: 'batch', kind: 'Job',
    obj: { metadata: { name: 'pi', uid: 'u1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [c({ image: 'perl:2' })] } } } },
    old: { metadata: { name: 'pi', uid: 'u1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [c()] } } } },
    want: ['spec.template: Invalid value: core.PodTemplateSpec{…}: field is immutable'],
  },
  { name: 'job completionMode enum', group: 'batch', kind: 'Job', obj: { metadata: { name: 'pi', uid: 'u1' }, spec: { completionMode: 'Sorted', template: { spec: { restartPolicy: 'Never', containers: [c()] } } } }, want: ['spec.completionMode: Unsupported value: "Sorted": supported values: "NonIndexed", "Indexed"'] },
  { name: 'valid cronjob', group: 'batch', kind: 'CronJob', obj: { metadata: { name: 'tick' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [c()] } } } } } }, want: [] },
  {
    name: 'cronjob schedule, concurrencyPolicy, long name', group: 'batch', kind: 'CronJob',
    obj: { metadata: { name: 'a'.repeat(53) }, spec: { schedule: '61 * * * *', concurrencyPolicy: 'Sometimes', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [c()] } } } } } },
    want: [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`, 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61', 'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
  },

  // ---- services
  { name: 'valid service', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { selector: labels, ports: [{ port: 80 }] } }, want: [] },
  { name: 'service ports required', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { selector: labels } }, want: ['spec.ports: Required value'] },
  { name: 'headless service needs no ports', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { clusterIP: 'None', selector: labels } }, want: [] },
  { name: 'ExternalName service needs no ports', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { type: 'ExternalName', externalName: 'example.com' } }, want: [] },
  { name: 'ExternalName requires externalName', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { type: 'ExternalName' } }, want: ['spec.externalName: Required value'] },
  {
    name: 'service port checks', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { ports: [{ port: 0 }, { name: 'http', port: 80, protocol: 'HTTP' }, { name: 'http', port: 81, targetPort: 70000 }] } },
    want: [
      'spec.ports[0].name: Required value',
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.ports[2].name: Duplicate value: "http"',
      'spec.ports[2].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ],
  },
  { name: 'service type enum', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { type: 'Magic', ports: [{ port: 80 }] } }, want: ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'] },
  { name: 'nodePort range', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] } }, want: ['spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767'] },
  { name: 'nodePort on ClusterIP', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { ports: [{ port: 80, nodePort: 30080 }] } }, want: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"] },
  { name: 'externalTrafficPolicy on ClusterIP', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { externalTrafficPolicy: 'Local', ports: [{ port: 80 }] } }, want: ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'] },
  { name: 'clusterIP is immutable', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { clusterIP: '10.96.0.20', ports: [{ port: 80 }] } }, old: { metadata: { name: 'web' }, spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80 }] } }, want: ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.20"}: may not change once set'] },
  { name: 'clusterIP omitted on update is fine', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } }, old: { metadata: { name: 'web' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 80 }] } }, want: [] },
  { name: 'bad clusterIP', kind: 'Service', obj: { metadata: { name: 'web' }, spec: { clusterIP: '10.96.0.300', ports: [{ port: 80 }] } }, want: ['spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'] },

  // ---- config
  {
    name: 'configmap keys', kind: 'ConfigMap', obj: { metadata: { name: 'cfg' }, data: { 'ok.key_1-x': 'v', 'bad/key': 'v', '..': 'v' } },
    want: ["data[bad/key]: Invalid value: \"bad/key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')", "data[..]: Invalid value: \"..\": must not be '..'"],
  },
  { name: 'immutable configmap', kind: 'ConfigMap', obj: { metadata: { name: 'cfg' }, immutable: true, data: { a: '2' } }, old: { metadata: { name: 'cfg' }, immutable: true, data: { a: '1' } }, want: ['data: Forbidden: field is immutable when `immutable` is set'] },
  { name: 'secret keys and tls requirements', kind: 'Secret', obj: { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'a b': 'eA==' } }, want: [expect.stringMatching(/^data\[a b\]: Invalid value: "a b": a valid config key/) as unknown as string, 'data[tls.crt]: Required value', 'data[tls.key]: Required value'] },
  { name: 'secret type immutable', kind: 'Secret', obj: { metadata: { name: 's' }, type: 'example.com/x' }, old: { metadata: { name: 's' } }, want: ['type: Invalid value: "example.com/x": field is immutable'] },

  // ---- namespace / node / events / lease / endpointslice
  { name: 'namespace finalizers', kind: 'Namespace', obj: { metadata: { name: 'team' }, spec: { finalizers: ['kubernetes', 'custom'] } }, want: ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'] },
  { name: 'node taints and podCIDR', kind: 'Node', obj: { metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/33', taints: [{ key: 'a', effect: 'Sometimes' }] } }, want: ['spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"', 'spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'] },
  { name: 'valid core event', kind: 'Event', obj: { metadata: { name: 'web.1' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Scheduled', type: 'Normal' }, want: [] },
  { name: 'core event needs involvedObject in its namespace', kind: 'Event', obj: { metadata: { name: 'web.1' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'other' } }, want: ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'] },
  { name: 'core event without involvedObject', kind: 'Event', obj: { metadata: { name: 'web.1' } }, want: ['involvedObject: Required value'] },
  { name: 'events.k8s.io event required fields', group: 'events.k8s.io', kind: 'Event', obj: { metadata: { name: 'e' }, type: 'Normal' }, want: ['eventTime: Required value', 'reportingController: Required value', 'reportingInstance: Required value', 'action: Required value', 'reason: Required value'] },
  { name: 'lease duration', group: 'coordination.k8s.io', kind: 'Lease', obj: { metadata: { name: 'node-1' }, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } }, want: ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0', 'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'] },
  { name: 'valid endpointslice', group: 'discovery.k8s.io', kind: 'EndpointSlice', obj: { metadata: { name: 'web-abc' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.5'] }], ports: [{ name: 'http', port: 80 }] }, want: [] },
  { name: 'endpointslice addressType enum', group: 'discovery.k8s.io', kind: 'EndpointSlice', obj: { metadata: { name: 'web-abc' }, addressType: 'IPv5', endpoints: [] }, want: ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"'] },
  { name: 'endpointslice addresses', group: 'discovery.k8s.io', kind: 'EndpointSlice', obj: { metadata: { name: 'web-abc' }, addressType: 'IPv4', endpoints: [{ addresses: [] }, { addresses: ['fe80::1'] }] }, want: ['endpoints[0].addresses: Required value: must contain at least 1 address', 'endpoints[1].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address'] },
  { name: 'endpointslice addressType immutable', group: 'discovery.k8s.io', kind: 'EndpointSlice', obj: { metadata: { name: 'e' }, addressType: 'IPv6' }, old: { metadata: { name: 'e' }, addressType: 'IPv4' }, want: ['addressType: Invalid value: "IPv6": field is immutable'] },

  // ---- ingress
  { name: 'valid ingress', group: 'networking.k8s.io', kind: 'Ingress', obj: { metadata: { name: 'web' }, spec: { rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } }, want: [] },
  { name: 'ingress needs rules or defaultBackend', group: 'networking.k8s.io', kind: 'Ingress', obj: { metadata: { name: 'web' }, spec: {} }, want: ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified'] },
  {
    name: 'ingress paths', group: 'networking.k8s.io', kind: 'Ingress',
    obj: { metadata: { name: 'web' }, spec: { rules: [{ host: '10.0.0.1', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }, { path: 'api', pathType: 'Exact', backend: { service: { name: 'api', port: {} } } }, { path: '/x', pathType: 'Regex', backend: { service: { name: 'web', port: { name: 'http', number: 80 } } } }, { path: '/y', pathType: 'Prefix', backend: {} }] } }] } },
    want: [
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
      'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
      'spec.rules[0].http.paths[1].path: Invalid value: "api": must be an absolute path',
      'spec.rules[0].http.paths[1].backend: Required value: port name or number is required',
      'spec.rules[0].http.paths[2].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      'spec.rules[0].http.paths[2].backend: Invalid value: "": cannot set both port name & port number',
      'spec.rules[0].http.paths[3].backend: Invalid value: "": resource or service backend is required',
    ],
  },
  { name: 'ingress service name required', group: 'networking.k8s.io', kind: 'Ingress', obj: { metadata: { name: 'web' }, spec: { defaultBackend: { service: { port: { number: 80 } } } } }, want: ['spec.defaultBackend.service.name: Required value'] },

  // ---- volumes
  { name: 'valid pvc', kind: 'PersistentVolumeClaim', obj: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }, want: [] },
  { name: 'pvc requirements', kind: 'PersistentVolumeClaim', obj: { metadata: { name: 'data' }, spec: { resources: {} } }, want: ['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value'] },
  { name: 'pvc access mode enum', kind: 'PersistentVolumeClaim', obj: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteSometimes'], resources: { requests: { storage: '0' } } } }, want: ['spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"', 'spec.resources[storage]: Invalid value: "0": must be greater than zero'] },
  { name: 'pvc spec immutable', kind: 'PersistentVolumeClaim', obj: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } } }, old: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }, want: ['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'] },
  { name: 'valid pv', kind: 'PersistentVolume', obj: { metadata: { name: 'pv1' }, spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/data' } } }, want: [] },
  { name: 'pv requirements', kind: 'PersistentVolume', obj: { metadata: { name: 'pv1' }, spec: {} }, want: ['spec.accessModes: Required value', 'spec.capacity: Required value', 'spec.capacity: Unsupported value: core.ResourceList{}: supported values: "storage"', 'spec: Required value: must specify a volume type'] },

  // ---- misc
  { name: 'binding target', kind: 'Binding', obj: { metadata: { name: 'web' }, target: { kind: 'Pod' } }, want: ['target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"', 'target.name: Required value'] },
  { name: 'hpa replicas', group: 'autoscaling', kind: 'HorizontalPodAutoscaler', obj: { metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 5, maxReplicas: 2 } }, want: ['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`'] },
  { name: 'priorityclass value', group: 'scheduling.k8s.io', kind: 'PriorityClass', obj: { metadata: { name: 'high' }, value: 2000000000 }, want: ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000'] },
  { name: 'storageclass provisioner', group: 'storage.k8s.io', kind: 'StorageClass', obj: { metadata: { name: 'fast' } }, want: ['provisioner: Required value'] },
];

describe('validate', () => {
  it.each(cases.map((tc) => [tc.name, tc] as const))('%s', (_name, tc) => {
    expect(errors(tc.group ?? '', tc.kind, tc.obj, tc.old)).toEqual(tc.want);
  });

  it('never throws on wrongly-typed input', () => {
    const weird = { metadata: { name: 'x', labels: 'nope' }, spec: { containers: 'nope', volumes: [null, 3], selector: [], template: 'x', ports: {} } };
    for (const r of [['', 'Pod'], ['apps', 'Deployment'], ['', 'Service'], ['batch', 'Job'], ['networking.k8s.io', 'Ingress'], ['', 'PersistentVolumeClaim']] as const) {
      expect(() => errors(r[0], r[1], weird)).not.toThrow();
    }
  });

  it('produces the message kubectl prints after "is invalid:"', () => {
    const causes = (() => {
      const { r, obj } = prepare('', 'Pod', { metadata: { name: 'bad' }, spec: { containers: [] } });
      return validate(r, obj);
    })();
    expect(invalid('Pod', 'bad', causes).message).toBe('Pod "bad" is invalid: spec.containers: Required value');
    expect(causes).toEqual([{ reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' }]);
  });
});

describe('cron schedules', () => {
  it.each([
    ['*/5 * * * *', []], ['0 0 * * MON-FRI', []], ['@hourly', []], ['@every 1h30m', []], ['0 0 1 jan *', []],
    ['* * * *', ['expected exactly 5 fields, found 4: [* * * *]']],
    ['x * * * *', ['failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax']],
    ['* 24 * * *', ['end of range (24) above maximum (23): 24']],
    ['* * 0 * *', ['beginning of range (0) below minimum (1): 0']],
    ['@sometimes', ['unrecognized descriptor: @sometimes']],
  ])('%s', (schedule, want) => {
    expect(cronScheduleErrors(schedule)).toEqual(want);
  });
});
