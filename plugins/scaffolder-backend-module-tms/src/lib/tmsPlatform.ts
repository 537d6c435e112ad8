/**
 * Facts about the TMS platform that the generated configuration relies on.
 *
 * @internal
 */

/** The regions in the order ArgoCD rolls a change out: primary last. */
export const ROLLOUT_REGIONS = [
  'ap-southeast-1',
  'us-east-1',
  'eu-west-1',
] as const;

/** @internal */
export type TmsRegion = (typeof ROLLOUT_REGIONS)[number];

/** The hosts the shared ingress gateway serves. */
export const GATEWAY_HOSTS = [
  'tms.example.com',
  'api.tms.example.com',
  'graphql.tms.example.com',
] as const;

/** The shared ingress gateway every public route binds to. */
export const SHARED_GATEWAY = 'istio-system/tms-gateway';

/** The ArgoCD cluster name of a region, as the portal's config names it. */
export function clusterName(region: TmsRegion): string {
  return `tms-${region}`;
}

/** A name Kubernetes accepts for most objects (an RFC 1123 label). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A service account as name (same namespace) or namespace/name. */
export const SERVICE_ACCOUNT_REF =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
