/**
 * The Regions portal page, for Backstage's new frontend system.
 *
 * @packageDocumentation
 */
export { regionsPlugin as default } from './plugin';
export * from './api';
export { regionsRouteRef } from './routes';
