/*
 * The security dashboard reads log records by event name within a window:
 * an index on both keeps it off the full table.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('logs', table => {
    table.index(['event_name', 'time_us'], 'logs_event_time_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('logs', table => {
    table.dropIndex(['event_name', 'time_us'], 'logs_event_time_idx');
  });
};
