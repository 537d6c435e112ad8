/*
 * Metric data points, one row each. Times are kept exactly as decimal
 * nanoseconds and as integer microseconds for range queries, like spans.
 * value holds a gauge or sum point; count, sum, min and max a histogram or
 * summary point, whose buckets or quantiles are in distribution as JSON.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('metric_points', table => {
    table.bigIncrements('id').primary();
    table.string('name', 255).notNullable();
    table.string('unit', 64).notNullable();
    table.text('description').notNullable();
    table.string('type', 32).notNullable();
    table.integer('temporality').nullable();
    table.boolean('monotonic').nullable();
    table.string('service', 255).notNullable();
    table.string('region', 64).nullable();
    // The attributes as sorted JSON, so that equal sets compare equal and
    // a series is (name, service, region, attributes).
    table.text('attributes').notNullable();
    table.text('resource_attributes').notNullable();
    table.string('scope_name', 255).notNullable();
    table.string('scope_version', 255).notNullable();
    table.string('start_time_unix_nano', 20).notNullable();
    table.string('time_unix_nano', 20).notNullable();
    table.bigInteger('start_us').notNullable();
    table.bigInteger('time_us').notNullable();
    table.double('value').nullable();
    table.double('count').nullable();
    table.double('sum').nullable();
    table.double('min').nullable();
    table.double('max').nullable();
    table.text('distribution').nullable();
    table.bigInteger('received_at_ms').notNullable();

    // Every query picks metrics by name within a window; retention by time.
    table.index(['name', 'time_us'], 'metric_points_name_time_idx');
    table.index(['time_us'], 'metric_points_time_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('metric_points');
};
