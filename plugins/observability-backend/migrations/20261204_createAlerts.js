/*
 * Alerts, their rules, silences and the notification outbox. Times are
 * integer milliseconds since the epoch, so that both engines return the
 * same numbers.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Rules managed through the API; rules from config are not stored.
  await knex.schema.createTable('alert_rules', table => {
    table.string('id', 63).primary();
    table.text('definition').notNullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at_ms').notNullable();
    table.string('updated_by', 255).notNullable();
    table.bigInteger('updated_at_ms').notNullable();
  });

  // A condition that holds but has not held for the rule's `for` yet, or
  // that an open alert stands for. One row per fingerprint.
  await knex.schema.createTable('alert_conditions', table => {
    table.string('fingerprint', 64).primary();
    table.bigInteger('active_since_ms').notNullable();
  });

  await knex.schema.createTable('alerts', table => {
    table.string('id', 32).primary();
    table.string('fingerprint', 64).notNullable();
    table.integer('occurrence').notNullable();
    table.string('rule_id', 255).notNullable();
    table.string('severity', 16).notNullable();
    table.string('service', 255).notNullable();
    table.string('region', 64).notNullable();
    table.text('labels').notNullable();
    table.text('annotations').notNullable();
    table.string('state', 16).notNullable();
    table.double('value').notNullable();
    table.bigInteger('starts_at_ms').notNullable();
    table.bigInteger('last_evaluated_at_ms').notNullable();
    table.bigInteger('acknowledged_at_ms').nullable();
    table.string('acknowledged_by', 255).nullable();
    table.text('acknowledge_comment').nullable();
    table.bigInteger('resolved_at_ms').nullable();
    table.string('resolved_by', 255).nullable();
    table.text('resolve_reason').nullable();
    table.boolean('firing_notified').notNullable().defaultTo(false);
    table.bigInteger('last_notified_at_ms').nullable();

    // The real guard against duplicates: two replicas that both decide to
    // fire the next occurrence of a fingerprint write the same key, and the
    // second insert is ignored.
    table.unique(['fingerprint', 'occurrence'], {
      indexName: 'alerts_fingerprint_occurrence_idx',
    });
    table.index(['state', 'starts_at_ms'], 'alerts_state_idx');
    table.index(['service', 'region'], 'alerts_service_region_idx');
  });

  await knex.schema.createTable('alert_silences', table => {
    table.string('id', 36).primary();
    table.text('matchers').notNullable();
    table.text('comment').notNullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at_ms').notNullable();
    table.bigInteger('starts_at_ms').notNullable();
    table.bigInteger('ends_at_ms').notNullable();
    table.index(['ends_at_ms'], 'alert_silences_ends_idx');
  });

  // Notifications are written here first and delivered from here, so that
  // a target that is down gets them later instead of never.
  await knex.schema.createTable('alert_outbox', table => {
    table.bigIncrements('id').primary();
    table.string('alert_id', 32).notNullable();
    table.string('target', 255).notNullable();
    table.string('event', 16).notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.bigInteger('next_attempt_at_ms').notNullable();
    table.text('last_error').nullable();
    table.bigInteger('created_at_ms').notNullable();
    table.bigInteger('delivered_at_ms').nullable();
    table.index(
      ['delivered_at_ms', 'next_attempt_at_ms'],
      'alert_outbox_due_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('alert_outbox');
  await knex.schema.dropTable('alert_silences');
  await knex.schema.dropTable('alerts');
  await knex.schema.dropTable('alert_conditions');
  await knex.schema.dropTable('alert_rules');
};
