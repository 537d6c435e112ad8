/*
 * Region health: the current state of each region (shared by every
 * replica, written by whichever runs the probe task) and the history of
 * probe rounds behind it.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('region_health', table => {
    table.string('region_id', 64).primary();
    table.string('state', 16).notNullable();
    table.integer('consecutive_failures').notNullable();
    table.integer('consecutive_successes').notNullable();
    table.bigInteger('changed_at_ms').notNullable();
    table.bigInteger('checked_at_ms').notNullable();
    table.text('last_probe').notNullable();
  });

  await knex.schema.createTable('region_health_history', table => {
    table.bigIncrements('id').primary();
    table.string('region_id', 64).notNullable();
    table.bigInteger('checked_at_ms').notNullable();
    table.string('outcome', 16).notNullable();
    table.string('state', 16).notNullable();
    table.integer('latency_ms').notNullable();
    table.text('endpoints').notNullable();

    table.index(['region_id', 'checked_at_ms'], 'region_health_history_idx');
    // Pruning deletes by age across regions.
    table.index(['checked_at_ms'], 'region_health_history_age_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('region_health_history');
  await knex.schema.dropTable('region_health');
};
