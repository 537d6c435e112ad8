/**
 * Scaffolder actions that generate and validate the Istio, ArgoCD and
 * Kubernetes configuration of TMS services.
 *
 * @packageDocumentation
 */

export { scaffolderModuleTms as default } from './module';
export * from './actions';
export { localRepositoryUrlReaderFactory } from './urlReader';
export { validateManifests } from './lib/validation/validateManifests';
export type {
  ManifestFile,
  ManifestValidationResult,
  ValidateManifestsOptions,
} from './lib/validation/validateManifests';
export { describeFinding } from './lib/validation/types';
export type { ManifestFinding } from './lib/validation/types';
