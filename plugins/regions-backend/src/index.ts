/**
 * TMS regions backend plugin.
 *
 * @packageDocumentation
 */
export { regionsPlugin as default } from './plugin';
