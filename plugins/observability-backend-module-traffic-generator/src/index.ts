/**
 * The TMS traffic generator: a backend module of the observability engine
 * and a library for the command-line load generator.
 *
 * @packageDocumentation
 */
export { trafficGeneratorModule as default } from './module';
export { TrafficGenerator } from './TrafficGenerator';
export type { OtlpEncoding, TrafficGeneratorOptions } from './TrafficGenerator';
export type { ScenarioName } from './scenarios';
