/**
 * Our message definitions for the named API groups kubectl's generators and typed
 * clients POST as protobuf: apps/v1, batch/v1, policy/v1, networking.k8s.io/v1,
 * autoscaling/v1, rbac.authorization.k8s.io/v1, scheduling.k8s.io/v1 and
 * authentication.k8s.io/v1 (`kubectl create token`).
 *
 * Field numbers come from the descriptors in kubectl v1.32; annotations are explained
 * in ./apimachinery.ts. Status messages are included so the same schema can encode
 * protobuf responses; their rarely used tails (e.g. JobStatus.uncountedTerminatedPods)
 * are modelled where cheap.
 */

export const APPS_V1_PROTO = `
syntax = "proto2";
package apps.v1;

message Deployment {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional DeploymentSpec spec = 2;
  optional DeploymentStatus status = 3;
}

message DeploymentSpec {
  optional int32 replicas = 1 [(ptr)=true];
  optional .meta.v1.LabelSelector selector = 2;
  optional .core.v1.PodTemplateSpec template = 3;
  optional DeploymentStrategy strategy = 4;
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6 [(ptr)=true];
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9 [(ptr)=true];
}

message DeploymentStrategy {
  optional string type = 1;
  optional RollingUpdateDeployment rollingUpdate = 2;
}

message RollingUpdateDeployment {
  optional .intstr.IntOrString maxUnavailable = 1;
  optional .intstr.IntOrString maxSurge = 2;
}

message DeploymentStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2;
  optional int32 updatedReplicas = 3;
  optional int32 readyReplicas = 7;
  optional int32 availableReplicas = 4;
  optional int32 unavailableReplicas = 5;
  repeated DeploymentCondition conditions = 6;
  optional int32 collisionCount = 8 [(ptr)=true];
}

message DeploymentCondition {
  optional string type = 1 [(req)=true];
  optional string status = 2 [(req)=true];
  optional .meta.v1.Time lastUpdateTime = 6;
  optional .meta.v1.Time lastTransitionTime = 7;
  optional string reason = 4;
  optional string message = 5;
}

message ReplicaSet {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional ReplicaSetSpec spec = 2;
  optional ReplicaSetStatus status = 3;
}

message ReplicaSetSpec {
  optional int32 replicas = 1 [(ptr)=true];
  optional int32 minReadySeconds = 4;
  optional .meta.v1.LabelSelector selector = 2;
  optional .core.v1.PodTemplateSpec template = 3;
}

message ReplicaSetStatus {
  optional int32 replicas = 1 [(req)=true];
  optional int32 fullyLabeledReplicas = 2;
  optional int32 readyReplicas = 4;
  optional int32 availableReplicas = 5;
  optional int64 observedGeneration = 3;
  repeated ReplicaSetCondition conditions = 6;
}

message ReplicaSetCondition {
  optional string type = 1 [(req)=true];
  optional string status = 2 [(req)=true];
  optional .meta.v1.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}

message DaemonSet {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional DaemonSetSpec spec = 2;
  optional DaemonSetStatus status = 3;
}

message DaemonSetSpec {
  optional .meta.v1.LabelSelector selector = 1;
  optional .core.v1.PodTemplateSpec template = 2;
  optional DaemonSetUpdateStrategy updateStrategy = 3;
  optional int32 minReadySeconds = 4;
  optional int32 revisionHistoryLimit = 6 [(ptr)=true];
}

message DaemonSetUpdateStrategy {
  optional string type = 1;
  optional RollingUpdateDaemonSet rollingUpdate = 2;
}

message RollingUpdateDaemonSet {
  optional .intstr.IntOrString maxUnavailable = 1;
  optional .intstr.IntOrString maxSurge = 2;
}

message DaemonSetStatus {
  optional int32 currentNumberScheduled = 1 [(req)=true];
  optional int32 numberMisscheduled = 2 [(req)=true];
  optional int32 desiredNumberScheduled = 3 [(req)=true];
  optional int32 numberReady = 4 [(req)=true];
  optional int64 observedGeneration = 5;
  optional int32 updatedNumberScheduled = 6;
  optional int32 numberAvailable = 7;
  optional int32 numberUnavailable = 8;
  optional int32 collisionCount = 9 [(ptr)=true];
  repeated DaemonSetCondition conditions = 10;
}

message DaemonSetCondition {
  optional string type = 1 [(req)=true];
  optional string status = 2 [(req)=true];
  optional .meta.v1.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}

message ControllerRevision {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional .runtime.RawExtension data = 2;
  optional int64 revision = 3 [(req)=true];
}
`;

export const BATCH_V1_PROTO = `
syntax = "proto2";
package batch.v1;

message Job {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional JobSpec spec = 2;
  optional JobStatus status = 3;
}

message JobSpec {
  optional int32 parallelism = 1 [(ptr)=true];
  optional int32 completions = 2 [(ptr)=true];
  optional int64 activeDeadlineSeconds = 3 [(ptr)=true];
  optional PodFailurePolicy podFailurePolicy = 11;
  optional SuccessPolicy successPolicy = 16;
  optional int32 backoffLimit = 7 [(ptr)=true];
  optional int32 backoffLimitPerIndex = 12 [(ptr)=true];
  optional int32 maxFailedIndexes = 13 [(ptr)=true];
  optional .meta.v1.LabelSelector selector = 4;
  optional bool manualSelector = 5 [(ptr)=true];
  optional .core.v1.PodTemplateSpec template = 6;
  optional int32 ttlSecondsAfterFinished = 8 [(ptr)=true];
  optional string completionMode = 9 [(ptr)=true];
  optional bool suspend = 10 [(ptr)=true];
  optional string podReplacementPolicy = 14 [(ptr)=true];
  optional string managedBy = 15 [(ptr)=true];
}

message PodFailurePolicy {
  repeated PodFailurePolicyRule rules = 1;
}

message PodFailurePolicyRule {
  optional string action = 1 [(req)=true];
  optional PodFailurePolicyOnExitCodesRequirement onExitCodes = 2;
  repeated PodFailurePolicyOnPodConditionsPattern onPodConditions = 3;
}

message PodFailurePolicyOnExitCodesRequirement {
  optional string containerName = 1 [(ptr)=true];
  optional string operator = 2 [(req)=true];
  repeated int32 values = 3;
}

message PodFailurePolicyOnPodConditionsPattern {
  optional string type = 1 [(req)=true];
  optional string status = 2 [(req)=true];
}

message SuccessPolicy {
  repeated SuccessPolicyRule rules = 1;
}

message SuccessPolicyRule {
  optional string succeededIndexes = 1 [(ptr)=true];
  optional int32 succeededCount = 2 [(ptr)=true];
}

message JobStatus {
  repeated JobCondition conditions = 1;
  optional .meta.v1.Time startTime = 2;
  optional .meta.v1.Time completionTime = 3;
  optional int32 active = 4;
  optional int32 succeeded = 5;
  optional int32 failed = 6;
  optional int32 terminating = 11 [(ptr)=true];
  optional string completedIndexes = 7;
  optional string failedIndexes = 10 [(ptr)=true];
  optional UncountedTerminatedPods uncountedTerminatedPods = 8;
  optional int32 ready = 9 [(ptr)=true];
}

message JobCondition {
  optional string type = 1 [(req)=true];
  optional string status = 2 [(req)=true];
  optional .meta.v1.Time lastProbeTime = 3;
  optional .meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message UncountedTerminatedPods {
  repeated string succeeded = 1;
  repeated string failed = 2;
}

message CronJob {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional CronJobSpec spec = 2;
  optional CronJobStatus status = 3;
}

message CronJobSpec {
  optional string schedule = 1 [(req)=true];
  optional string timeZone = 8 [(ptr)=true];
  optional int64 startingDeadlineSeconds = 2 [(ptr)=true];
  optional string concurrencyPolicy = 3;
  optional bool suspend = 4 [(ptr)=true];
  optional JobTemplateSpec jobTemplate = 5;
  optional int32 successfulJobsHistoryLimit = 6 [(ptr)=true];
  optional int32 failedJobsHistoryLimit = 7 [(ptr)=true];
}

message JobTemplateSpec {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional JobSpec spec = 2;
}

message CronJobStatus {
  repeated .core.v1.ObjectReference active = 1;
  optional .meta.v1.Time lastScheduleTime = 4;
  optional .meta.v1.Time lastSuccessfulTime = 5;
}
`;

export const POLICY_V1_PROTO = `
syntax = "proto2";
package policy.v1;

message PodDisruptionBudget {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional PodDisruptionBudgetSpec spec = 2;
  optional PodDisruptionBudgetStatus status = 3;
}

message PodDisruptionBudgetSpec {
  optional .intstr.IntOrString minAvailable = 1;
  optional .meta.v1.LabelSelector selector = 2;
  optional .intstr.IntOrString maxUnavailable = 3;
  optional string unhealthyPodEvictionPolicy = 4 [(ptr)=true];
}

message PodDisruptionBudgetStatus {
  optional int64 observedGeneration = 1;
  map<string, .meta.v1.Time> disruptedPods = 2;
  optional int32 disruptionsAllowed = 3 [(req)=true];
  optional int32 currentHealthy = 4 [(req)=true];
  optional int32 desiredHealthy = 5 [(req)=true];
  optional int32 expectedPods = 6 [(req)=true];
  repeated .meta.v1.Condition conditions = 7;
}

message Eviction {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional .meta.v1.DeleteOptions deleteOptions = 2;
}
`;

export const NETWORKING_V1_PROTO = `
syntax = "proto2";
package networking.v1;

message Ingress {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional IngressSpec spec = 2;
  optional IngressStatus status = 3;
}

message IngressSpec {
  optional string ingressClassName = 4 [(ptr)=true];
  optional IngressBackend defaultBackend = 1;
  repeated IngressTLS tls = 2;
  repeated IngressRule rules = 3;
}

message IngressBackend {
  optional IngressServiceBackend service = 4;
  optional .core.v1.TypedLocalObjectReference resource = 3;
}

message IngressServiceBackend {
  optional string name = 1 [(req)=true];
  optional ServiceBackendPort port = 2;
}

message ServiceBackendPort {
  optional string name = 1;
  optional int32 number = 2;
}

message IngressTLS {
  repeated string hosts = 1;
  optional string secretName = 2;
}

message IngressRule {
  optional string host = 1;
  optional IngressRuleValue ingressRuleValue = 2 [(inline)=true];
}

message IngressRuleValue {
  optional HTTPIngressRuleValue http = 1;
}

message HTTPIngressRuleValue {
  repeated HTTPIngressPath paths = 1;
}

message HTTPIngressPath {
  optional string path = 1;
  optional string pathType = 3 [(ptr)=true];
  optional IngressBackend backend = 2;
}

message IngressStatus {
  optional IngressLoadBalancerStatus loadBalancer = 1;
}

message IngressLoadBalancerStatus {
  repeated IngressLoadBalancerIngress ingress = 1;
}

message IngressLoadBalancerIngress {
  optional string ip = 1;
  optional string hostname = 2;
  repeated IngressPortStatus ports = 4;
}

message IngressPortStatus {
  optional int32 port = 1 [(req)=true];
  optional string protocol = 2 [(req)=true];
  optional string error = 3 [(ptr)=true];
}
`;

export const AUTOSCALING_V1_PROTO = `
syntax = "proto2";
package autoscaling.v1;

message Scale {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional ScaleSpec spec = 2;
  optional ScaleStatus status = 3;
}

message ScaleSpec {
  optional int32 replicas = 1;
}

message ScaleStatus {
  optional int32 replicas = 1 [(req)=true];
  optional string selector = 2;
}

message HorizontalPodAutoscaler {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional HorizontalPodAutoscalerSpec spec = 2;
  optional HorizontalPodAutoscalerStatus status = 3;
}

message HorizontalPodAutoscalerSpec {
  optional CrossVersionObjectReference scaleTargetRef = 1;
  optional int32 minReplicas = 2 [(ptr)=true];
  optional int32 maxReplicas = 3 [(req)=true];
  optional int32 targetCPUUtilizationPercentage = 4 [(ptr)=true];
}

message CrossVersionObjectReference {
  optional string kind = 1 [(req)=true];
  optional string name = 2 [(req)=true];
  optional string apiVersion = 3;
}

message HorizontalPodAutoscalerStatus {
  optional int64 observedGeneration = 1 [(ptr)=true];
  optional .meta.v1.Time lastScaleTime = 2;
  optional int32 currentReplicas = 3 [(req)=true];
  optional int32 desiredReplicas = 4 [(req)=true];
  optional int32 currentCPUUtilizationPercentage = 5 [(ptr)=true];
}
`;

export const RBAC_V1_PROTO = `
syntax = "proto2";
package rbac.v1;

message Role {
  optional .meta.v1.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
}

message ClusterRole {
  optional .meta.v1.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
  optional AggregationRule aggregationRule = 3;
}

message PolicyRule {
  repeated string verbs = 1;
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
  repeated string nonResourceURLs = 5;
}

message AggregationRule {
  repeated .meta.v1.LabelSelector clusterRoleSelectors = 1;
}

message RoleBinding {
  optional .meta.v1.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}

message ClusterRoleBinding {
  optional .meta.v1.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}

message Subject {
  optional string kind = 1 [(req)=true];
  optional string apiGroup = 2;
  optional string name = 3 [(req)=true];
  optional string namespace = 4;
}

message RoleRef {
  optional string apiGroup = 1 [(req)=true];
  optional string kind = 2 [(req)=true];
  optional string name = 3 [(req)=true];
}
`;

export const SCHEDULING_V1_PROTO = `
syntax = "proto2";
package scheduling.v1;

message PriorityClass {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional int32 value = 2 [(req)=true];
  optional bool globalDefault = 3;
  optional string description = 4;
  optional string preemptionPolicy = 5 [(ptr)=true];
}
`;

export const AUTHENTICATION_V1_PROTO = `
syntax = "proto2";
package authentication.v1;

message TokenRequest {
  optional .meta.v1.ObjectMeta metadata = 1;
  optional TokenRequestSpec spec = 2;
  optional TokenRequestStatus status = 3;
}

message TokenRequestSpec {
  repeated string audiences = 1;
  optional int64 expirationSeconds = 4 [(ptr)=true];
  optional BoundObjectReference boundObjectRef = 3;
}

message BoundObjectReference {
  optional string kind = 1;
  optional string apiVersion = 2;
  optional string name = 3;
  optional string uid = 4;
}

message TokenRequestStatus {
  optional string token = 1 [(req)=true];
  optional .meta.v1.Time expirationTimestamp = 2;
}
`;
