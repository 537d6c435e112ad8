import { forEachExportItem, ItemOrigin, METRICS } from './forEachExportItem';
import {
  asArray,
  asDouble,
  asInt64,
  asInteger,
  asObject,
  asString,
  Attributes,
  OtlpPath,
  readAttributes,
} from './values';

/** The five kinds of OTLP metric data, as stored. */
export type MetricType =
  | 'gauge'
  | 'sum'
  | 'histogram'
  | 'exponential_histogram'
  | 'summary';

/** OTLP AggregationTemporality: 0 unspecified, 1 delta, 2 cumulative. */
export type Temporality = 0 | 1 | 2;

/** The buckets or quantiles of a distribution point. */
export type Distribution =
  | { explicitBounds: number[]; bucketCounts: number[] }
  | {
      scale: number;
      zeroCount: number;
      zeroThreshold: number;
      positive: { offset: number; bucketCounts: number[] };
      negative: { offset: number; bucketCounts: number[] };
    }
  | { quantileValues: Array<{ quantile: number; value: number }> };

/** One data point of one metric, as the engine stores it. */
export interface MetricPoint extends ItemOrigin {
  name: string;
  unit: string;
  description: string;
  type: MetricType;
  /** Set for sums and histograms; gauges and summaries have none. */
  temporality?: Temporality;
  /** Set for sums only. */
  monotonic?: boolean;
  attributes: Attributes;
  /** Nanoseconds since the epoch, as decimal strings; 0 when not set. */
  startTimeUnixNano: string;
  timeUnixNano: string;
  /** The value of a gauge or sum point. */
  value?: number;
  /** Count, sum, min and max of a distribution point, when sent. */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  distribution?: Distribution;
}

export interface MetricsRequest {
  points: MetricPoint[];
  rejectedDataPoints: number;
  /** Why the first rejected data point was rejected. */
  rejection?: string;
}

const DATA_FIELDS: Array<[string, MetricType]> = [
  ['gauge', 'gauge'],
  ['sum', 'sum'],
  ['histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary'],
];

/** A point whose value cannot be stored or queried, and why. */
class Rejection {
  constructor(readonly reason: string) {}
}

/**
 * Reads an ExportMetricsServiceRequest in the OTLP/JSON shape. A malformed
 * field throws an InputError naming it. A metric without a name or data,
 * and a data point without a time or with a value that is not a finite
 * number, are rejected on their own and counted in the partial success.
 */
export function readMetricsRequest(body: unknown): MetricsRequest {
  const result: MetricsRequest = { points: [], rejectedDataPoints: 0 };
  const reject = (count: number, reason: string) => {
    result.rejectedDataPoints += count;
    result.rejection ??= reason;
  };

  forEachExportItem(body, METRICS, (metric, path, origin) => {
    const name = asString(metric.name, path.field('name'));
    const present = DATA_FIELDS.filter(
      ([field]) => metric[field] !== undefined && metric[field] !== null,
    );
    if (present.length > 1) {
      path.fail(
        'one of gauge, sum, histogram, exponentialHistogram or summary',
        `${present.map(([field]) => field).join(' and ')}`,
      );
    }
    if (present.length === 0) {
      reject(1, `${path}: a metric needs one kind of data`);
      return;
    }

    const [field, type] = present[0];
    const dataPath = path.field(field);
    const data = asObject(metric[field], dataPath);
    const pointsPath = dataPath.field('dataPoints');
    const rawPoints = asArray(data.dataPoints, pointsPath);
    if (name === '') {
      reject(rawPoints.length, `${path.field('name')}: a metric needs a name`);
      return;
    }

    const temporality =
      type === 'gauge' || type === 'summary'
        ? undefined
        : readTemporality(data.aggregationTemporality, dataPath);
    const monotonic =
      type === 'sum'
        ? readBoolean(data.isMonotonic, dataPath.field('isMonotonic'))
        : undefined;

    rawPoints.forEach((raw, i) => {
      const pointPath = pointsPath.index(i);
      const point = asObject(raw, pointPath);
      const read = readPoint(type, point, pointPath);
      if (read instanceof Rejection) {
        reject(1, `${pointPath}: ${read.reason}`);
        return;
      }
      result.points.push({
        ...origin,
        name,
        unit: asString(metric.unit, path.field('unit')),
        description: asString(metric.description, path.field('description')),
        type,
        temporality,
        monotonic,
        attributes: readAttributes(
          point.attributes,
          pointPath.field('attributes'),
        ),
        ...read,
      });
    });
  });

  return result;
}

type PointValues = Pick<
  MetricPoint,
  | 'startTimeUnixNano'
  | 'timeUnixNano'
  | 'value'
  | 'count'
  | 'sum'
  | 'min'
  | 'max'
  | 'distribution'
>;

function readPoint(
  type: MetricType,
  point: Record<string, unknown>,
  path: OtlpPath,
): PointValues | Rejection {
  const timeUnixNano = asInt64(point.timeUnixNano, path.field('timeUnixNano'));
  const startTimeUnixNano = asInt64(
    point.startTimeUnixNano,
    path.field('startTimeUnixNano'),
  );
  if (timeUnixNano === '0') {
    return new Rejection('a data point needs a timeUnixNano');
  }
  const times = { startTimeUnixNano, timeUnixNano };

  if (type === 'gauge' || type === 'sum') {
    const value =
      point.asInt !== undefined && point.asInt !== null
        ? Number(asInt64(point.asInt, path.field('asInt')))
        : asDouble(point.asDouble, path.field('asDouble'));
    if (value === undefined) {
      return new Rejection('a number data point needs asDouble or asInt');
    }
    if (!Number.isFinite(value)) {
      return new Rejection(`the value ${value} is not a finite number`);
    }
    return { ...times, value };
  }

  const summary = {
    count: Number(asInt64(point.count, path.field('count'))),
    sum: asDouble(point.sum, path.field('sum')),
    min: asDouble(point.min, path.field('min')),
    max: asDouble(point.max, path.field('max')),
  };
  const notFinite = Object.entries(summary).find(
    ([, v]) => v !== undefined && !Number.isFinite(v),
  );
  if (notFinite) {
    return new Rejection(`${notFinite[0]} is not a finite number`);
  }
  return {
    ...times,
    ...summary,
    distribution: readDistribution(type, point, path),
  };
}

function readDistribution(
  type: MetricType,
  point: Record<string, unknown>,
  path: OtlpPath,
): Distribution {
  if (type === 'histogram') {
    return {
      explicitBounds: readDoubles(
        point.explicitBounds,
        path.field('explicitBounds'),
      ),
      bucketCounts: readCounts(point.bucketCounts, path.field('bucketCounts')),
    };
  }
  if (type === 'exponential_histogram') {
    const buckets = (field: string) => {
      const bucketsPath = path.field(field);
      const value = asObject(point[field], bucketsPath);
      return {
        offset: asInteger(value.offset, bucketsPath.field('offset')),
        bucketCounts: readCounts(
          value.bucketCounts,
          bucketsPath.field('bucketCounts'),
        ),
      };
    };
    return {
      scale: asInteger(point.scale, path.field('scale')),
      zeroCount: Number(asInt64(point.zeroCount, path.field('zeroCount'))),
      zeroThreshold:
        asDouble(point.zeroThreshold, path.field('zeroThreshold')) ?? 0,
      positive: buckets('positive'),
      negative: buckets('negative'),
    };
  }

  const quantilesPath = path.field('quantileValues');
  return {
    quantileValues: asArray(point.quantileValues, quantilesPath).map((q, i) => {
      const quantile = asObject(q, quantilesPath.index(i));
      return {
        quantile:
          asDouble(
            quantile.quantile,
            quantilesPath.index(i).field('quantile'),
          ) ?? 0,
        value:
          asDouble(quantile.value, quantilesPath.index(i).field('value')) ?? 0,
      };
    }),
  };
}

function readTemporality(value: unknown, path: OtlpPath): Temporality {
  const field = path.field('aggregationTemporality');
  const temporality = asInteger(value, field);
  if (temporality < 0 || temporality > 2) {
    field.fail('0, 1 (delta) or 2 (cumulative)', temporality);
  }
  return temporality as Temporality;
}

function readBoolean(value: unknown, path: OtlpPath): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  if (typeof value !== 'boolean') {
    return path.fail('a boolean', value);
  }
  return value;
}

function readDoubles(value: unknown, path: OtlpPath): number[] {
  return asArray(value, path).map((item, i) => {
    const number = asDouble(item, path.index(i));
    return number === undefined ? path.index(i).fail('a number', item) : number;
  });
}

function readCounts(value: unknown, path: OtlpPath): number[] {
  return asArray(value, path).map((item, i) =>
    Number(asInt64(item, path.index(i))),
  );
}
