/*
 * The zero-trust engine's shared state. Every replica reads and writes the
 * same rows, so that an attacker counted by one replica is blocked by all.
 * Times are milliseconds since the epoch.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Each version of the policy set, the newest in force.
  await knex.schema.createTable('zt_policy_versions', table => {
    table.increments('version').primary();
    table.text('document').notNullable();
    table.string('content_hash', 64).notNullable();
    table.string('source', 16).notNullable();
    table.string('author', 255).notNullable();
    table.string('comment', 1000).nullable();
    table.bigInteger('created_at_ms').notNullable();
  });

  // Login attempts as reported by auth-service: the sliding windows of the
  // threat detector count these rows, and risk scoring reads a user's
  // successful ones as their history.
  await knex.schema.createTable('zt_login_attempts', table => {
    table.bigIncrements('id').primary();
    table.string('client_address', 64).notNullable();
    table.string('user_name', 320).notNullable();
    table.string('outcome', 16).notNullable();
    table.bigInteger('at_ms').notNullable();
    table.string('device_id', 255).nullable();
    table.string('country', 8).nullable();
    table.double('latitude').nullable();
    table.double('longitude').nullable();
    table.index(['client_address', 'at_ms'], 'zt_login_attempts_address_idx');
    table.index(['user_name', 'at_ms'], 'zt_login_attempts_user_idx');
    table.index(['at_ms'], 'zt_login_attempts_at_idx');
  });

  // One row per address ever blocked; offences stay after the block
  // expires so that the next block lasts longer.
  await knex.schema.createTable('zt_blocks', table => {
    table.string('client_address', 64).primary();
    table.string('reason', 1000).notNullable();
    table.integer('offences').notNullable();
    table.bigInteger('blocked_at_ms').notNullable();
    table.bigInteger('expires_at_ms').notNullable();
    table.bigInteger('unblocked_at_ms').nullable();
    table.string('unblocked_by', 255).nullable();
  });

  await knex.schema.createTable('zt_sessions', table => {
    table.string('id', 64).primary();
    table.string('user_name', 320).notNullable();
    table.string('client_address', 64).nullable();
    table.string('device_id', 255).nullable();
    table.boolean('mfa').notNullable();
    table.bigInteger('created_at_ms').notNullable();
    table.bigInteger('last_seen_at_ms').notNullable();
    table.bigInteger('revoked_at_ms').nullable();
    table.index(['user_name'], 'zt_sessions_user_idx');
  });

  // Recent decisions with the facts they were made on, for dry runs of a
  // draft policy set.
  await knex.schema.createTable('zt_decisions', table => {
    table.bigIncrements('id').primary();
    table.bigInteger('at_ms').notNullable();
    table.integer('policy_version').notNullable();
    table.string('decision', 16).notNullable();
    table.string('policy_id', 100).notNullable();
    table.integer('risk_score').notNullable();
    table.text('input').notNullable();
    table.index(['at_ms'], 'zt_decisions_at_idx');
  });

  // The hash-chained audit log and its head: the head names the last entry,
  // so that deleting the last entries is noticed too.
  await knex.schema.createTable('zt_audit_entries', table => {
    table.bigInteger('seq').primary();
    table.bigInteger('at_ms').notNullable();
    table.string('kind', 64).notNullable();
    table.text('payload').notNullable();
    table.string('prev_hash', 64).notNullable();
    table.string('hash', 64).notNullable();
  });
  await knex.schema.createTable('zt_audit_head', table => {
    table.integer('id').primary();
    table.bigInteger('seq').notNullable();
    table.string('hash', 64).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const name of [
    'zt_audit_head',
    'zt_audit_entries',
    'zt_decisions',
    'zt_sessions',
    'zt_blocks',
    'zt_login_attempts',
    'zt_policy_versions',
  ]) {
    await knex.schema.dropTable(name);
  }
};
