/**
 * Scaffolder actions that generate and validate the Istio, ArgoCD and
 * Kubernetes configuration of TMS services.
 *
 * @packageDocumentation
 */

export { scaffolderModuleTms as default } from './module';
export * from './actions';
export { localRepositoryUrlReaderFactory } from './urlReader';
export {
  DEFAULT_RESERVATION_HOURS,
  PortAllocator,
} from './lib/ports/PortAllocator';
export type { AllocatePortRequest } from './lib/ports/PortAllocator';
export { PortReservationStore } from './lib/ports/PortReservationStore';
export type { PortReservation } from './lib/ports/PortReservationStore';
export { validateManifests } from './lib/validation/validateManifests';
export type {
  ManifestFile,
  ManifestValidationResult,
  ValidateManifestsOptions,
} from './lib/validation/validateManifests';
export { describeFinding } from './lib/validation/types';
export type { ManifestFinding } from './lib/validation/types';

// The generators behind tms:istio:generate and tms:argocd:generate, for the
// repository's own platform config in deploy/platform/.
export {
  buildIstioConfig,
  ISTIO_TRAFFIC_DEFAULTS,
} from './lib/istio/buildIstioConfig';
export type {
  IstioConfig,
  IstioConfigOptions,
} from './lib/istio/buildIstioConfig';
export { buildArgocdConfig } from './lib/argocd/buildArgocdConfig';
export type {
  ArgocdConfig,
  ArgocdConfigOptions,
} from './lib/argocd/buildArgocdConfig';
export { renderYamlDocuments } from './lib/renderYaml';
export {
  clusterName,
  GATEWAY_HOSTS,
  ROLLOUT_REGIONS,
  SHARED_GATEWAY,
} from './lib/tmsPlatform';
export type { TmsRegion } from './lib/tmsPlatform';
