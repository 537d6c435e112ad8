/*
 * Server spans counted per 10-second bucket, service and region, so that
 * SLO burn rates read a few rows per bucket instead of every span of the
 * window: at 10,000 spans/s an hour is 36 million spans, and better-sqlite3
 * scans them on the event loop's thread on every evaluation.
 *
 * The bucket width and the boundaries of the duration histogram are also
 * in src/database/spanRollups.ts, which writes and reads these columns; a
 * column counts the requests of at least its boundary in milliseconds and
 * under the next one. The primary key starts with the bucket, so it is
 * also the index that windows and retention read by.
 */

/** The width of a bucket, as ROLLUP_BUCKET_MS in spanRollups.ts. */
const BUCKET_MS = 10_000;

const BOUNDARIES_MS = [
  0, 5, 10, 25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500,
  2000, 2500, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000,
];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('span_rollups', table => {
    table.bigInteger('bucket_start_us').notNullable();
    table.string('service', 255).notNullable();
    // Empty when the spans named no region, so that it can be in the key.
    table.string('region', 64).notNullable();
    table.bigInteger('requests').notNullable();
    table.bigInteger('errors').notNullable();
    for (const ms of BOUNDARIES_MS) {
      table.bigInteger(`d_${ms}`).notNullable().defaultTo(0);
    }
    table.primary(['bucket_start_us', 'service', 'region']);
  });

  // The spans already stored are rolled up once here, so that SLO windows
  // keep their history across the upgrade; new spans are added at ingest.
  // Integer division of the bigint start gives the bucket on both engines.
  const bucketUs = BUCKET_MS * 1000;
  const key = `(start_us / ${bucketUs}) * ${bucketUs}, service, coalesce(region, '')`;
  const histogram = BOUNDARIES_MS.map((ms, i) => {
    const next = BOUNDARIES_MS[i + 1];
    const below = next === undefined ? '' : ` AND duration_us < ${next * 1000}`;
    return `sum(CASE WHEN duration_us >= ${
      ms * 1000
    }${below} THEN 1 ELSE 0 END)`;
  });
  const columns = [
    'bucket_start_us',
    'service',
    'region',
    'requests',
    'errors',
  ];
  columns.push(...BOUNDARIES_MS.map(ms => `d_${ms}`));
  await knex.raw(
    `INSERT INTO span_rollups (${columns.join(', ')}) ` +
      `SELECT ${key}, count(*), sum(CASE WHEN failed THEN 1 ELSE 0 END), ` +
      `${histogram.join(', ')} FROM spans WHERE kind = 2 GROUP BY ${key}`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('span_rollups');
};
