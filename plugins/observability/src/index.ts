/**
 * Portal pages for the TMS observability engine, for Backstage's new
 * frontend system.
 *
 * @packageDocumentation
 */
export { observabilityPlugin as default } from './plugin';
export * from './api';
export {
  alertsRouteRef,
  meshRouteRef,
  slosRouteRef,
  tracesRouteRef,
} from './routes';
export { SERVICE_NAME_ANNOTATION } from './components/EntityTab/annotation';
