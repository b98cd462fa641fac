/**
 * Our message definitions for core/v1: the kinds kubectl's generators create
 * (Namespace, ConfigMap, Secret, ServiceAccount, Service, ResourceQuota), Pod with the
 * whole PodSpec tree that workload templates carry, and the small status types.
 *
 * Why the PodSpec tree is this deep when generators only set name/image/ports:
 * `kubectl create job --from=cronjob/x` copies the server's pod template verbatim and
 * POSTs it as protobuf, so anything a template can hold (probes, affinity, volumes...)
 * must survive. Unknown field numbers are skipped, so a gap here loses data silently;
 * rarely used volume sources (cloud disks, iSCSI, CSI...) are the known gap.
 *
 * Field numbers come from the descriptors in kubectl v1.32; annotations are explained
 * in ./apimachinery.ts.
 */

export const CORE_V1_PROTO = `
syntax = "proto2";
package core.v1;

// ---- kinds kubectl create generates -------------------------------------------------

message Namespace {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional NamespaceSpec spec = 2;
  optional NamespaceStatus status = 3;
}

message NamespaceSpec {
  repeated string finalizers = 1;
}

message NamespaceStatus {
  optional string phase = 1;
  repeated NamespaceCondition conditions = 2;
}

message NamespaceCondition {
  optional string type = 1 [(req)=true];
  optional string status = 2 [(req)=true];
  optional .meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message ConfigMap {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional bool immutable = 4 [(ptr)=true];
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
}

message Secret {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional bool immutable = 5 [(ptr)=true];
  map<string, bytes> data = 2;
  map<string, string> stringData = 4;
  optional string type = 3;
}

message ServiceAccount {
  optional .meta.v1.ObjectMeta metadata = 1;
  repeated ObjectReference secrets = 2;
  repeated LocalObjectReference imagePullSecrets = 3;
  optional bool automountServiceAccountToken = 4 [(ptr)=true];
}

message ObjectReference {
  optional string kind = 1;
  optional string namespace = 2;
  optional string name = 3;
  optional string uid = 4;
  optional string apiVersion = 5;
  optional string resourceVersion = 6;
  optional string fieldPath = 7;
}

message LocalObjectReference {
  optional string name = 1;
}

message TypedLocalObjectReference {
  optional string apiGroup = 1 [(ptr)=true];
  optional string kind = 2 [(req)=true];
  optional string name = 3 [(req)=true];
}

message Binding {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional ObjectReference target = 2;
}

message Service {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional ServiceSpec spec = 2;
  optional ServiceStatus status = 3;
}

message ServiceSpec {
  repeated ServicePort ports = 1;
  map<string, string> selector = 2;
  optional string clusterIP = 3;
  repeated string clusterIPs = 18;
  optional string type = 4;
  repeated string externalIPs = 5;
  optional string sessionAffinity = 7;
  optional string loadBalancerIP = 8;
  repeated string loadBalancerSourceRanges = 9;
  optional string externalName = 10;
  optional string externalTrafficPolicy = 11;
  optional int32 healthCheckNodePort = 12;
  optional bool publishNotReadyAddresses = 13;
  optional SessionAffinityConfig sessionAffinityConfig = 14;
  repeated string ipFamilies = 19;
  optional string ipFamilyPolicy = 17 [(ptr)=true];
  optional bool allocateLoadBalancerNodePorts = 20 [(ptr)=true];
  optional string loadBalancerClass = 21 [(ptr)=true];
  optional string internalTrafficPolicy = 22 [(ptr)=true];
  optional string trafficDistribution = 23 [(ptr)=true];
}

message ServicePort {
  optional string name = 1;
  optional string protocol = 2;
  optional string appProtocol = 6 [(ptr)=true];
  optional int32 port = 3 [(req)=true];
  optional .intstr.IntOrString targetPort = 4;
  optional int32 nodePort = 5;
}

message SessionAffinityConfig {
  optional ClientIPConfig clientIP = 1;
}

message ClientIPConfig {
  optional int32 timeoutSeconds = 1 [(ptr)=true];
}

message ServiceStatus {
  optional LoadBalancerStatus loadBalancer = 1;
  repeated .meta.v1.Condition conditions = 2;
}

message LoadBalancerStatus {
  repeated LoadBalancerIngress ingress = 1;
}

message LoadBalancerIngress {
  optional string ip = 1;
  optional string hostname = 2;
  optional string ipMode = 3 [(ptr)=true];
  repeated PortStatus ports = 4;
}

message PortStatus {
  optional int32 port = 1 [(req)=true];
  optional string protocol = 2 [(req)=true];
  optional string error = 3 [(ptr)=true];
}

message ResourceQuota {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional ResourceQuotaSpec spec = 2;
  optional ResourceQuotaStatus status = 3;
}

message ResourceQuotaSpec {
  map<string, .resource.Quantity> hard = 1;
  repeated string scopes = 2;
  optional ScopeSelector scopeSelector = 3;
}

message ResourceQuotaStatus {
  map<string, .resource.Quantity> hard = 1;
  map<string, .resource.Quantity> used = 2;
}

message ScopeSelector {
  repeated ScopedResourceSelectorRequirement matchExpressions = 1;
}

message ScopedResourceSelectorRequirement {
  optional string scopeName = 1 [(req)=true];
  optional string operator = 2 [(req)=true];
  repeated string values = 3;
}

// ---- Pod and its template -------------------------------------------------------------

message Pod {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
  optional PodStatus status = 3;
}

message PodTemplate {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional PodTemplateSpec template = 2;
}

message PodTemplateSpec {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
}

message PodSpec {
  repeated Volume volumes = 1;
  repeated Container initContainers = 20;
  repeated Container containers = 2;
  repeated EphemeralContainer ephemeralContainers = 34;
  optional string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4 [(ptr)=true];
  optional int64 activeDeadlineSeconds = 5 [(ptr)=true];
  optional string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8;
  optional string serviceAccount = 9;
  optional bool automountServiceAccountToken = 21 [(ptr)=true];
  optional string nodeName = 10;
  optional bool hostNetwork = 11;
  optional bool hostPID = 12;
  optional bool hostIPC = 13;
  optional bool shareProcessNamespace = 27 [(ptr)=true];
  optional PodSecurityContext securityContext = 14;
  repeated LocalObjectReference imagePullSecrets = 15;
  optional string hostname = 16;
  optional string subdomain = 17;
  optional Affinity affinity = 18;
  optional string schedulerName = 19;
  repeated Toleration tolerations = 22;
  repeated HostAlias hostAliases = 23;
  optional string priorityClassName = 24;
  optional int32 priority = 25 [(ptr)=true];
  optional PodDNSConfig dnsConfig = 26;
  repeated PodReadinessGate readinessGates = 28;
  optional string runtimeClassName = 29 [(ptr)=true];
  optional bool enableServiceLinks = 30 [(ptr)=true];
  optional string preemptionPolicy = 31 [(ptr)=true];
  map<string, .resource.Quantity> overhead = 32;
  repeated TopologySpreadConstraint topologySpreadConstraints = 33;
  optional bool setHostnameAsFQDN = 35 [(ptr)=true];
  optional PodOS os = 36;
  optional bool hostUsers = 37 [(ptr)=true];
  repeated PodSchedulingGate schedulingGates = 38;
  repeated PodResourceClaim resourceClaims = 39;
  optional ResourceRequirements resources = 40;
}

message Container {
  optional string name = 1 [(req)=true];
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvFromSource envFrom = 19;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8;
  repeated ContainerResizePolicy resizePolicy = 23;
  optional string restartPolicy = 24 [(ptr)=true];
  repeated VolumeMount volumeMounts = 9;
  repeated VolumeDevice volumeDevices = 21;
  optional Probe livenessProbe = 10;
  optional Probe readinessProbe = 11;
  optional Probe startupProbe = 22;
  optional Lifecycle lifecycle = 12;
  optional string terminationMessagePath = 13;
  optional string terminationMessagePolicy = 20;
  optional string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15;
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
}

// Same fields and numbers as Container; Go embeds it inline in EphemeralContainer.
message EphemeralContainerCommon {
  optional string name = 1 [(req)=true];
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvFromSource envFrom = 19;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8;
  repeated ContainerResizePolicy resizePolicy = 23;
  optional string restartPolicy = 24 [(ptr)=true];
  repeated VolumeMount volumeMounts = 9;
  repeated VolumeDevice volumeDevices = 21;
  optional Probe livenessProbe = 10;
  optional Probe readinessProbe = 11;
  optional Probe startupProbe = 22;
  optional Lifecycle lifecycle = 12;
  optional string terminationMessagePath = 13;
  optional string terminationMessagePolicy = 20;
  optional string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15;
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
}

message EphemeralContainer {
  optional EphemeralContainerCommon ephemeralContainerCommon = 1 [(inline)=true];
  optional string targetContainerName = 2;
}

message ContainerPort {
  optional string name = 1;
  optional int32 hostPort = 2;
  optional int32 containerPort = 3 [(req)=true];
  optional string protocol = 4;
  optional string hostIP = 5;
}

message EnvVar {
  optional string name = 1 [(req)=true];
  optional string value = 2;
  optional EnvVarSource valueFrom = 3;
}

message EnvVarSource {
  optional ObjectFieldSelector fieldRef = 1;
  optional ResourceFieldSelector resourceFieldRef = 2;
  optional ConfigMapKeySelector configMapKeyRef = 3;
  optional SecretKeySelector secretKeyRef = 4;
}

message ObjectFieldSelector {
  optional string apiVersion = 1;
  optional string fieldPath = 2 [(req)=true];
}

message ResourceFieldSelector {
  optional string containerName = 1;
  optional string resource = 2 [(req)=true];
  optional .resource.Quantity divisor = 3;
}

message ConfigMapKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(inline)=true];
  optional string key = 2 [(req)=true];
  optional bool optional = 3 [(ptr)=true];
}

message SecretKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(inline)=true];
  optional string key = 2 [(req)=true];
  optional bool optional = 3 [(ptr)=true];
}

message EnvFromSource {
  optional string prefix = 1;
  optional ConfigMapEnvSource configMapRef = 2;
  optional SecretEnvSource secretRef = 3;
}

message ConfigMapEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(inline)=true];
  optional bool optional = 2 [(ptr)=true];
}

message SecretEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(inline)=true];
  optional bool optional = 2 [(ptr)=true];
}

message ResourceRequirements {
  map<string, .resource.Quantity> limits = 1;
  map<string, .resource.Quantity> requests = 2;
  repeated ResourceClaim claims = 3;
}

message ResourceClaim {
  optional string name = 1 [(req)=true];
  optional string request = 2;
}

message ContainerResizePolicy {
  optional string resourceName = 1 [(req)=true];
  optional string restartPolicy = 2 [(req)=true];
}

message VolumeMount {
  optional string name = 1 [(req)=true];
  optional bool readOnly = 2;
  optional string recursiveReadOnly = 7 [(ptr)=true];
  optional string mountPath = 3 [(req)=true];
  optional string subPath = 4;
  optional string mountPropagation = 5 [(ptr)=true];
  optional string subPathExpr = 6;
}

message VolumeDevice {
  optional string name = 1 [(req)=true];
  optional string devicePath = 2 [(req)=true];
}

message Probe {
  optional ProbeHandler handler = 1 [(inline)=true];
  optional int32 initialDelaySeconds = 2;
  optional int32 timeoutSeconds = 3;
  optional int32 periodSeconds = 4;
  optional int32 successThreshold = 5;
  optional int32 failureThreshold = 6;
  optional int64 terminationGracePeriodSeconds = 7 [(ptr)=true];
}

message ProbeHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional GRPCAction grpc = 4;
}

message ExecAction {
  repeated string command = 1;
}

message HTTPGetAction {
  optional string path = 1;
  optional .intstr.IntOrString port = 2;
  optional string host = 3;
  optional string scheme = 4;
  repeated HTTPHeader httpHeaders = 5;
}

message HTTPHeader {
  optional string name = 1 [(req)=true];
  optional string value = 2 [(req)=true];
}

message TCPSocketAction {
  optional .intstr.IntOrString port = 1;
  optional string host = 2;
}

message GRPCAction {
  optional int32 port = 1 [(req)=true];
  optional string service = 2 [(ptr)=true];
}

message Lifecycle {
  optional LifecycleHandler postStart = 1;
  optional LifecycleHandler preStop = 2;
}

message LifecycleHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional SleepAction sleep = 4;
}

message SleepAction {
  optional int64 seconds = 1 [(req)=true];
}

message SecurityContext {
  optional Capabilities capabilities = 1;
  optional bool privileged = 2 [(ptr)=true];
  optional SELinuxOptions seLinuxOptions = 3;
  optional WindowsSecurityContextOptions windowsOptions = 10;
  optional int64 runAsUser = 4 [(ptr)=true];
  optional int64 runAsGroup = 8 [(ptr)=true];
  optional bool runAsNonRoot = 5 [(ptr)=true];
  optional bool readOnlyRootFilesystem = 6 [(ptr)=true];
  optional bool allowPrivilegeEscalation = 7 [(ptr)=true];
  optional string procMount = 9 [(ptr)=true];
  optional SeccompProfile seccompProfile = 11;
  optional AppArmorProfile appArmorProfile = 12;
}

message Capabilities {
  repeated string add = 1;
  repeated string drop = 2;
}

message SELinuxOptions {
  optional string user = 1;
  optional string role = 2;
  optional string type = 3;
  optional string level = 4;
}

message SeccompProfile {
  optional string type = 1 [(req)=true];
  optional string localhostProfile = 2 [(ptr)=true];
}

message AppArmorProfile {
  optional string type = 1 [(req)=true];
  optional string localhostProfile = 2 [(ptr)=true];
}

message WindowsSecurityContextOptions {
  optional string gmsaCredentialSpecName = 1 [(ptr)=true];
  optional string gmsaCredentialSpec = 2 [(ptr)=true];
  optional string runAsUserName = 3 [(ptr)=true];
  optional bool hostProcess = 4 [(ptr)=true];
}

message PodSecurityContext {
  optional SELinuxOptions seLinuxOptions = 1;
  optional WindowsSecurityContextOptions windowsOptions = 8;
  optional int64 runAsUser = 2 [(ptr)=true];
  optional int64 runAsGroup = 6 [(ptr)=true];
  optional bool runAsNonRoot = 3 [(ptr)=true];
  repeated int64 supplementalGroups = 4;
  optional string supplementalGroupsPolicy = 12 [(ptr)=true];
  optional int64 fsGroup = 5 [(ptr)=true];
  repeated Sysctl sysctls = 7;
  optional string fsGroupChangePolicy = 9 [(ptr)=true];
  optional SeccompProfile seccompProfile = 10;
  optional AppArmorProfile appArmorProfile = 11;
  optional string seLinuxChangePolicy = 13 [(ptr)=true];
}

message Sysctl {
  optional string name = 1 [(req)=true];
  optional string value = 2 [(req)=true];
}

// ---- volumes (the common sources; cloud and legacy plugins are not modelled) ----------

message Volume {
  optional string name = 1 [(req)=true];
  optional VolumeSource volumeSource = 2 [(inline)=true];
}

message VolumeSource {
  optional HostPathVolumeSource hostPath = 1;
  optional EmptyDirVolumeSource emptyDir = 2;
  optional SecretVolumeSource secret = 6;
  optional NFSVolumeSource nfs = 7;
  optional PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10;
  optional DownwardAPIVolumeSource downwardAPI = 16;
  optional ConfigMapVolumeSource configMap = 19;
  optional ProjectedVolumeSource projected = 26;
}

message HostPathVolumeSource {
  optional string path = 1 [(req)=true];
  optional string type = 2 [(ptr)=true];
}

message EmptyDirVolumeSource {
  optional string medium = 1;
  optional .resource.Quantity sizeLimit = 2;
}

message SecretVolumeSource {
  optional string secretName = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(ptr)=true];
  optional bool optional = 4 [(ptr)=true];
}

message NFSVolumeSource {
  optional string server = 1 [(req)=true];
  optional string path = 2 [(req)=true];
  optional bool readOnly = 3;
}

message PersistentVolumeClaimVolumeSource {
  optional string claimName = 1 [(req)=true];
  optional bool readOnly = 2;
}

message DownwardAPIVolumeSource {
  repeated DownwardAPIVolumeFile items = 1;
  optional int32 defaultMode = 2 [(ptr)=true];
}

message DownwardAPIVolumeFile {
  optional string path = 1 [(req)=true];
  optional ObjectFieldSelector fieldRef = 2;
  optional ResourceFieldSelector resourceFieldRef = 3;
  optional int32 mode = 4 [(ptr)=true];
}

message ConfigMapVolumeSource {
  optional LocalObjectReference localObjectReference = 1 [(inline)=true];
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(ptr)=true];
  optional bool optional = 4 [(ptr)=true];
}

message KeyToPath {
  optional string key = 1 [(req)=true];
  optional string path = 2 [(req)=true];
  optional int32 mode = 3 [(ptr)=true];
}

message ProjectedVolumeSource {
  repeated VolumeProjection sources = 1;
  optional int32 defaultMode = 2 [(ptr)=true];
}

message VolumeProjection {
  optional SecretProjection secret = 1;
  optional DownwardAPIProjection downwardAPI = 2;
  optional ConfigMapProjection configMap = 3;
  optional ServiceAccountTokenProjection serviceAccountToken = 4;
  optional ClusterTrustBundleProjection clusterTrustBundle = 5;
}

message SecretProjection {
  optional LocalObjectReference localObjectReference = 1 [(inline)=true];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(ptr)=true];
}

message DownwardAPIProjection {
  repeated DownwardAPIVolumeFile items = 1;
}

message ConfigMapProjection {
  optional LocalObjectReference localObjectReference = 1 [(inline)=true];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(ptr)=true];
}

message ServiceAccountTokenProjection {
  optional string audience = 1;
  optional int64 expirationSeconds = 2 [(ptr)=true];
  optional string path = 3 [(req)=true];
}

message ClusterTrustBundleProjection {
  optional string name = 1 [(ptr)=true];
  optional string signerName = 2 [(ptr)=true];
  optional .meta.v1.LabelSelector labelSelector = 3;
  optional bool optional = 5 [(ptr)=true];
  optional string path = 4 [(req)=true];
}

// ---- scheduling ------------------------------------------------------------------------

message Toleration {
  optional string key = 1;
  optional string operator = 2;
  optional string value = 3;
  optional string effect = 4;
  optional int64 tolerationSeconds = 5 [(ptr)=true];
}

message Affinity {
  optional NodeAffinity nodeAffinity = 1;
  optional PodAffinity podAffinity = 2;
  optional PodAntiAffinity podAntiAffinity = 3;
}

message NodeAffinity {
  optional NodeSelector requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated PreferredSchedulingTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message NodeSelector {
  repeated NodeSelectorTerm nodeSelectorTerms = 1;
}

message NodeSelectorTerm {
  repeated NodeSelectorRequirement matchExpressions = 1;
  repeated NodeSelectorRequirement matchFields = 2;
}

message NodeSelectorRequirement {
  optional string key = 1 [(req)=true];
  optional string operator = 2 [(req)=true];
  repeated string values = 3;
}

message PreferredSchedulingTerm {
  optional int32 weight = 1 [(req)=true];
  optional NodeSelectorTerm preference = 2;
}

message PodAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAntiAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAffinityTerm {
  optional .meta.v1.LabelSelector labelSelector = 1;
  repeated string namespaces = 2;
  optional string topologyKey = 3 [(req)=true];
  optional .meta.v1.LabelSelector namespaceSelector = 4;
  repeated string matchLabelKeys = 5;
  repeated string mismatchLabelKeys = 6;
}

message WeightedPodAffinityTerm {
  optional int32 weight = 1 [(req)=true];
  optional PodAffinityTerm podAffinityTerm = 2;
}

message TopologySpreadConstraint {
  optional int32 maxSkew = 1 [(req)=true];
  optional string topologyKey = 2 [(req)=true];
  optional string whenUnsatisfiable = 3 [(req)=true];
  optional .meta.v1.LabelSelector labelSelector = 4;
  optional int32 minDomains = 5 [(ptr)=true];
  optional string nodeAffinityPolicy = 6 [(ptr)=true];
  optional string nodeTaintsPolicy = 7 [(ptr)=true];
  repeated string matchLabelKeys = 8;
}

message HostAlias {
  optional string ip = 1 [(req)=true];
  repeated string hostnames = 2;
}

message PodDNSConfig {
  repeated string nameservers = 1;
  repeated string searches = 2;
  repeated PodDNSConfigOption options = 3;
}

message PodDNSConfigOption {
  optional string name = 1;
  optional string value = 2 [(ptr)=true];
}

message PodReadinessGate {
  optional string conditionType = 1 [(req)=true];
}

message PodOS {
  optional string name = 1 [(req)=true];
}

message PodSchedulingGate {
  optional string name = 1 [(req)=true];
}

message PodResourceClaim {
  optional string name = 1 [(req)=true];
  optional string resourceClaimName = 3 [(ptr)=true];
  optional string resourceClaimTemplateName = 4 [(ptr)=true];
}

// ---- pod status (what a kubelet reports; enough for protobuf responses) --------------

message PodStatus {
  optional string phase = 1;
  repeated PodCondition conditions = 2;
  optional string message = 3;
  optional string reason = 4;
  optional string nominatedNodeName = 11;
  optional string hostIP = 5;
  repeated HostIP hostIPs = 16;
  optional string podIP = 6;
  repeated PodIP podIPs = 12;
  optional .meta.v1.Time startTime = 7;
  repeated ContainerStatus initContainerStatuses = 10;
  repeated ContainerStatus containerStatuses = 8;
  optional string qosClass = 9;
  repeated ContainerStatus ephemeralContainerStatuses = 13;
  optional string resize = 14;
}

message PodCondition {
  optional string type = 1 [(req)=true];
  optional string status = 2 [(req)=true];
  optional .meta.v1.Time lastProbeTime = 3;
  optional .meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message HostIP {
  optional string ip = 1 [(req)=true];
}

message PodIP {
  optional string ip = 1 [(req)=true];
}

message ContainerStatus {
  optional string name = 1 [(req)=true];
  optional ContainerState state = 2;
  optional ContainerState lastState = 3;
  optional bool ready = 4 [(req)=true];
  optional int32 restartCount = 5 [(req)=true];
  optional string image = 6 [(req)=true];
  optional string imageID = 7 [(req)=true];
  optional string containerID = 8;
  optional bool started = 9 [(ptr)=true];
  map<string, .resource.Quantity> allocatedResources = 10;
  optional ResourceRequirements resources = 11;
}

message ContainerState {
  optional ContainerStateWaiting waiting = 1;
  optional ContainerStateRunning running = 2;
  optional ContainerStateTerminated terminated = 3;
}

message ContainerStateWaiting {
  optional string reason = 1;
  optional string message = 2;
}

message ContainerStateRunning {
  optional .meta.v1.Time startedAt = 1;
}

message ContainerStateTerminated {
  optional int32 exitCode = 1 [(req)=true];
  optional int32 signal = 2;
  optional string reason = 3;
  optional string message = 4;
  optional .meta.v1.Time startedAt = 5;
  optional .meta.v1.Time finishedAt = 6;
  optional string containerID = 7;
}
`;
