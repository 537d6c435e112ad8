/*
 * Server spans counted per 10-second bucket, service and region, so that
 * SLO burn rates read a few rows per bucket instead of every span of the
 * window: at 10,000 spans/s an hour is 36 million spans, and better-sqlite3
 * scans them on the event loop's thread on every evaluation.
 *
 * The boundaries of the duration histogram are also in
 * src/database/spanRollups.ts, which writes and reads these columns; a
 * column counts the requests of at least its boundary in milliseconds and
 * under the next one. The primary key starts with the bucket, so it is
 * also the index that windows and retention read by.
 */

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
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('span_rollups');
};
