/**
 * The Zero trust portal page, for Backstage's new frontend system.
 *
 * @packageDocumentation
 */
export { zeroTrustPlugin as default } from './plugin';
export * from './api';
export { zeroTrustRouteRef } from './routes';
