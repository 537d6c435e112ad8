/*
 * Log records. They have no natural key, so each gets a serial id, which
 * also orders records of the same microsecond for paging. body_text is the
 * body as text, for search.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('logs', table => {
    table.bigIncrements('id').primary();
    table.bigInteger('time_us').notNullable();
    table.string('time_unix_nano', 20).notNullable();
    table.string('observed_time_unix_nano', 20).notNullable();
    table.integer('severity_number').notNullable();
    table.string('severity_text', 64).notNullable();
    table.text('body').notNullable();
    table.text('body_text').notNullable();
    table.text('attributes').notNullable();
    table.text('resource_attributes').notNullable();
    table.string('service', 255).notNullable();
    table.string('region', 64).nullable();
    table.string('trace_id', 32).nullable();
    table.string('span_id', 16).nullable();
    table.string('event_name', 255).nullable();
    table.string('scope_name', 255).notNullable();
    table.string('scope_version', 255).notNullable();
    table.bigInteger('received_at_ms').notNullable();

    table.index(['service', 'time_us'], 'logs_service_time_idx');
    table.index(['time_us'], 'logs_time_idx');
    table.index(['trace_id'], 'logs_trace_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('logs');
};
