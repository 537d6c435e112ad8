/**
 * The TMS observability engine, as a Backstage backend plugin.
 *
 * @packageDocumentation
 */
export { observabilityPlugin as default } from './plugin';
