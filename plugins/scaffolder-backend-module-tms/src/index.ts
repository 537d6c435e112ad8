/**
 * Scaffolder actions that generate and validate the Istio, ArgoCD and
 * Kubernetes configuration of TMS services.
 *
 * @packageDocumentation
 */

export { scaffolderModuleTms as default } from './module';
export * from './actions';
