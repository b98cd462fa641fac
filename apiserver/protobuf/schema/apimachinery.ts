/**
 * Our message definitions for the apimachinery packages that every Kubernetes object
 * embeds: meta/v1 (ObjectMeta and friends), runtime (the Unknown envelope,
 * RawExtension), util/intstr and api/resource.
 *
 * Field numbers and wire types are facts of the Kubernetes wire format; they were
 * checked, message by message, against the descriptors kubectl v1.32 registers (which
 * agree with the published generated.proto files). Field names are the JSON names, so
 * the codec needs no rename table. Declaration order follows the Go structs, which is
 * the JSON key order.
 *
 * Annotations the codec reads (see ../codec.ts):
 *   [(ptr)=true]    the Go field is a pointer (*int32, *bool, *string...). A present value
 *                   is kept even when it is the zero value (`replicas: 0`).
 *   [(req)=true]    the Go field has no `omitempty`, so Go's JSON keeps a zero value too.
 *   [(inline)=true] the Go field is an embedded struct with `json:",inline"`: its
 *                   fields appear directly in the parent JSON object.
 * Scalars without an annotation are `omitempty` non-pointers: gogo-protobuf writes them
 * always, and the codec drops their zero value the way Go's JSON encoder would.
 * The annotations were checked against the json tags and pointer kinds of the Go structs
 * compiled into kubectl v1.32; a wrong one silently drops `replicas: 0` or invents
 * `hostPort: 0`, and the captured-fixture tests catch that for the kinds they cover.
 * Message, repeated and map fields need no annotation (see codec.ts for why).
 */

export const APIMACHINERY_PROTO = `
syntax = "proto2";
package meta.v1;

message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message FieldsV1 {
  optional bytes Raw = 1;
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10 [(ptr)=true];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}

message OwnerReference {
  optional string apiVersion = 5 [(req)=true];
  optional string kind = 1 [(req)=true];
  optional string name = 3 [(req)=true];
  optional string uid = 4 [(req)=true];
  optional bool controller = 6 [(ptr)=true];
  optional bool blockOwnerDeletion = 7 [(ptr)=true];
}

message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4;
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7;
  optional string subresource = 8;
}

message ListMeta {
  optional string selfLink = 1;
  optional string resourceVersion = 2;
  optional string continue = 3;
  optional int64 remainingItemCount = 4 [(ptr)=true];
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message LabelSelectorRequirement {
  optional string key = 1 [(req)=true];
  optional string operator = 2 [(req)=true];
  repeated string values = 3;
}

message Condition {
  optional string type = 1 [(req)=true];
  optional string status = 2 [(req)=true];
  optional int64 observedGeneration = 3;
  optional Time lastTransitionTime = 4;
  optional string reason = 5 [(req)=true];
  optional string message = 6 [(req)=true];
}

message Preconditions {
  optional string uid = 1 [(ptr)=true];
  optional string resourceVersion = 2 [(ptr)=true];
}

message DeleteOptions {
  optional int64 gracePeriodSeconds = 1 [(ptr)=true];
  optional Preconditions preconditions = 2;
  optional bool orphanDependents = 3 [(ptr)=true];
  optional string propagationPolicy = 4 [(ptr)=true];
  repeated string dryRun = 5;
  optional bool ignoreStoreReadErrorWithClusterBreakingPotential = 6 [(ptr)=true];
}

message Status {
  optional ListMeta metadata = 1;
  optional string status = 2;
  optional string message = 3;
  optional string reason = 4;
  optional StatusDetails details = 5;
  optional int32 code = 6;
}

message StatusDetails {
  optional string name = 1;
  optional string group = 2;
  optional string kind = 3;
  optional string uid = 6;
  repeated StatusCause causes = 4;
  optional int32 retryAfterSeconds = 5;
}

message StatusCause {
  optional string reason = 1;
  optional string message = 2;
  optional string field = 3;
}
`;

export const RUNTIME_PROTO = `
syntax = "proto2";
package runtime;

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}

// The envelope after the "k8s\\0" magic: typeMeta names the kind, raw holds the object.
message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}

message RawExtension {
  optional bytes raw = 1;
}
`;

export const INTSTR_PROTO = `
syntax = "proto2";
package intstr;

message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}
`;

export const RESOURCE_PROTO = `
syntax = "proto2";
package resource;

message Quantity {
  optional string string = 1;
}
`;
