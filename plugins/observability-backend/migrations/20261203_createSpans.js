/*
 * Spans as the observability engine stores them. Timestamps are kept twice:
 * exactly, as the decimal nanoseconds OTLP sends, and in microseconds as
 * integers for range queries (microseconds since the epoch stay below 2^53,
 * so both databases return them as exact JavaScript numbers).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('spans', table => {
    table.string('trace_id', 32).notNullable();
    table.string('span_id', 16).notNullable();
    table.string('parent_span_id', 16).nullable();
    table.text('name').notNullable();
    table.integer('kind').notNullable();
    table.string('service', 255).notNullable();
    table.string('region', 64).nullable();
    table.string('start_time_unix_nano', 20).notNullable();
    table.string('end_time_unix_nano', 20).notNullable();
    table.bigInteger('start_us').notNullable();
    table.bigInteger('duration_us').notNullable();
    table.integer('status_code').notNullable();
    // Worked out at ingest, so that RED queries need no attribute parsing.
    table.boolean('failed').notNullable();
    table.boolean('mtls').notNullable();
    table.text('status_message').nullable();
    table.text('attributes').notNullable();
    table.text('resource_attributes').notNullable();
    table.string('scope_name', 255).notNullable();
    table.string('scope_version', 255).notNullable();
    table.text('events').notNullable();
    table.text('links').notNullable();
    table.bigInteger('received_at_ms').notNullable();

    // A retried export carries the same spans again: the key makes the
    // second copy a no-op.
    table.primary(['trace_id', 'span_id']);
    table.index(['service', 'start_us'], 'spans_service_start_idx');
    table.index(['start_us'], 'spans_start_idx');
    table.index(['trace_id', 'parent_span_id'], 'spans_parent_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('spans');
};
