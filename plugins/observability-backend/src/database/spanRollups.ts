/**
 * The rollup of server spans that SLOs read (table `span_rollups`,
 * migration `20261204_spanRollups.js`): per bucket of
 * ROLLUP_BUCKET_MS, service and region, the requests, the failed ones and a
 * histogram of durations with fixed boundaries.
 */

/** The width of a rollup bucket. */
export const ROLLUP_BUCKET_MS = 10_000;

/**
 * Lower bounds of the duration buckets, in milliseconds; the last is open.
 * They include the usual latency targets (the default p95 of 2000 ms, and
 * 1500 and 2500 that services override it with), for which the count of
 * slow requests is exact. The migration lists the same numbers.
 */
export const DURATION_BOUNDARIES_MS = [
  0, 5, 10, 25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500,
  2000, 2500, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000,
] as const;

/** The column of the duration bucket whose lower bound is `ms`. */
export function durationColumn(ms: number) {
  return `d_${ms}`;
}

export const DURATION_COLUMNS = DURATION_BOUNDARIES_MS.map(durationColumn);

/** The index of the duration bucket a request of `durationUs` falls in. */
export function durationBucket(durationUs: number) {
  let i = DURATION_BOUNDARIES_MS.length - 1;
  while (i > 0 && durationUs < DURATION_BOUNDARIES_MS[i] * 1000) {
    i -= 1;
  }
  return i;
}

/** The start of the bucket holding `ms`. */
export function bucketStartMs(ms: number) {
  return Math.floor(ms / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
}

/**
 * The boundary a slow-request threshold is judged at: the threshold itself
 * when it is a boundary (the count is exact), else the next boundary above
 * it, so that a request between the two counts as fast. Above the last
 * boundary there is none to round to, and the last one is used: every
 * request of at least a minute counts as slow.
 */
export function slowBoundaryMs(thresholdMs: number) {
  const above = DURATION_BOUNDARIES_MS.find(b => b >= thresholdMs);
  return above ?? DURATION_BOUNDARIES_MS[DURATION_BOUNDARIES_MS.length - 1];
}

/** The duration columns that count requests of at least the threshold. */
export function slowDurationColumns(thresholdMs: number) {
  const boundary = slowBoundaryMs(thresholdMs);
  return DURATION_BOUNDARIES_MS.filter(b => b >= boundary).map(durationColumn);
}
