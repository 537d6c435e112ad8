import { MetricPoint, Temporality } from '../otlp/readMetricsRequest';
import { Attributes } from '../otlp/values';
import { TimeWindow } from './TelemetryStore';

export interface MetricPointQuery extends TimeWindow {
  name?: string;
  service?: string;
  region?: string;
  limit: number;
}

/**
 * One series' points in a window, folded: a series is one metric of one
 * service in one region with one set of attributes and one start time.
 * Minimum, maximum and total of the value, count and sum columns let the
 * caller work out an increase for either temporality.
 */
export interface SeriesAggregate {
  name: string;
  service: string;
  region: string;
  attributes: Attributes;
  temporality?: Temporality;
  /** Start of the series, microseconds since the epoch; 0 when not set. */
  startUs: number;
  points: number;
  value: Fold;
  count: Fold;
  sum: Fold;
}

export interface Fold {
  min: number | null;
  max: number | null;
  total: number | null;
}

/** The last point of one series in a window. */
export interface LatestPoint {
  name: string;
  service: string;
  region: string;
  attributes: Attributes;
  timeUs: number;
  value: number | null;
}

/** Where the observability engine keeps metric data points. */
export interface MetricStore {
  /** Stores data points in one transaction. */
  insertPoints(points: MetricPoint[]): Promise<void>;

  /** Data points in the window, newest first. */
  searchPoints(query: MetricPointQuery): Promise<MetricPoint[]>;

  /** Each series of the named metrics folded over the window. */
  aggregateSeries(
    names: string[],
    window: TimeWindow & { region?: string },
  ): Promise<SeriesAggregate[]>;

  /** The last point of each series of a metric in the window. */
  latestPoints(
    name: string,
    window: TimeWindow & { region?: string },
  ): Promise<LatestPoint[]>;

  /** Deletes points older than the cutoff, in batches; says how many. */
  deleteOlderThan(cutoffMs: number): Promise<number>;
}
