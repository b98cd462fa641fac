/**
 * The shared Kubernetes REST client: KubeClient (requests, watch), URL paths, NDJSON
 * splitting, discovery and the RESTMapper. Import from here.
 */
export * from './client';
export * from './paths';
export * from './ndjson';
export * from './restmapper';
export * from './discovery';
