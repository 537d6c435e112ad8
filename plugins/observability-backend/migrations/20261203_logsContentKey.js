/*
 * A content key for log records, so that a retried log export stores its
 * records once. OTLP gives log records no id; the key is a hash of what
 * makes a record what it is (see DatabaseTelemetryStore), and the unique
 * index turns the second copy into a no-op, as the primary key of spans
 * does for spans. Records stored before this migration keep a null key:
 * both databases let any number of nulls share a unique index.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('logs', table => {
    table.string('content_key', 32).nullable();
    table.unique(['content_key'], { indexName: 'logs_content_key_idx' });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('logs', table => {
    table.dropUnique(['content_key'], 'logs_content_key_idx');
    table.dropColumn('content_key');
  });
};
