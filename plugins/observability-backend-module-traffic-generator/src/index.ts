/**
 * The TMS traffic generator, a backend module of the observability engine;
 * the command-line load generator is `src/cli.ts`.
 *
 * @packageDocumentation
 */
export { trafficGeneratorModule as default } from './module';
export type { OtlpEncoding, TrafficGeneratorOptions } from './TrafficGenerator';
export type { ScenarioName } from './scenarios';
