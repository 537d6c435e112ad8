/**
 * Helpers for tests of the observability pages, including the browser
 * suite's 300-service mesh.
 *
 * @packageDocumentation
 */
export { syntheticServiceGraph } from './testing/syntheticGraph';
