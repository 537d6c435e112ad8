/**
 * Starts a backend package of this repository as a process of its own.
 *
 * @packageDocumentation
 */
export { BackendProcess } from './BackendProcess';
export type { BackendProcessOptions } from './BackendProcess';
export { listPluginRoutes, samplePath } from './routes';
export type { PluginRoute } from './routes';
