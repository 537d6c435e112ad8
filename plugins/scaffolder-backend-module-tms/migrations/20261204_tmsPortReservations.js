/*
 * Service ports handed out by tms:catalog:allocate-port but not yet in the
 * catalog. The module shares the scaffolder's database, hence the tms_
 * prefix. The port is the key, so two runs cannot reserve the same one.
 * Times are integer milliseconds since the epoch, so that both engines
 * return the same numbers.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('tms_port_reservations', table => {
    table.integer('port').primary();
    table.string('service', 255).notNullable();
    table.string('task_id', 255).notNullable();
    table.bigInteger('reserved_at_ms').notNullable();
    table.index(['service'], 'tms_port_reservations_service_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('tms_port_reservations');
};
