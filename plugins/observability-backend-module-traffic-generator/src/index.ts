/**
 * The TMS traffic generator, a backend module of the observability engine;
 * the command-line load generator is `src/cli.ts`.
 *
 * @packageDocumentation
 */
export { trafficGeneratorModule as default } from './module';
export type { OtlpEncoding, TrafficGeneratorOptions } from './TrafficGenerator';
export type { ScenarioName, Conditions } from './scenarios';
// The scenario clock, for plugins that play along with the generator
// (the regions plugin's simulated health endpoints).
export { conditionsAt } from './scenarios';
export { readTrafficSettings } from './TrafficGeneratorTask';
export type { TrafficSettings } from './TrafficGeneratorTask';
