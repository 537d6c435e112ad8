import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { AlertStore } from './database/AlertStore';
import { parseRule, ThresholdRule } from './rules';
import { SeriesSource } from './series';

export interface RuleView {
  rule: ThresholdRule['definition'];
  source: ThresholdRule['source'];
  createdBy?: string;
  createdAt?: string;
  updatedBy?: string;
  updatedAt?: string;
}

/**
 * Threshold rules from config (read-only) and from the API (stored). Ids
 * are shared: the API cannot take or change a config rule's id.
 */
export class RuleRegistry {
  private readonly configRules: ThresholdRule[];

  constructor(
    private readonly store: AlertStore,
    private readonly sources: SeriesSource[],
    configRules: unknown[],
  ) {
    this.configRules = configRules.map((input, i) => {
      try {
        return this.check(parseRule(input, 'config'));
      } catch (error) {
        throw new InputError(
          `observability.alerts.rules[${i}]: ${(error as Error).message}`,
        );
      }
    });
    const ids = new Set<string>();
    for (const rule of this.configRules) {
      if (ids.has(rule.id)) {
        throw new InputError(
          `observability.alerts.rules: the id '${rule.id}' is used twice`,
        );
      }
      ids.add(rule.id);
    }
  }

  /** Every rule to evaluate. A stored rule that no longer parses is skipped. */
  async all(): Promise<ThresholdRule[]> {
    const stored = await this.store.listRules();
    const rules = [...this.configRules];
    for (const s of stored) {
      try {
        rules.push(this.check(parseRule(s.definition, 'api')));
      } catch {
        // Left out; GET /alert-rules still shows it so it can be fixed.
      }
    }
    return rules;
  }

  async list(): Promise<RuleView[]> {
    const stored = await this.store.listRules();
    return [
      ...this.configRules.map(r => ({ rule: r.definition, source: r.source })),
      ...stored.map(s => view(s)),
    ];
  }

  async get(id: string): Promise<RuleView> {
    const fromConfig = this.configRules.find(r => r.id === id);
    if (fromConfig) {
      return { rule: fromConfig.definition, source: 'config' };
    }
    const stored = await this.store.getRule(id);
    if (!stored) {
      throw new NotFoundError(`No alert rule '${id}'`);
    }
    return view(stored);
  }

  async create(input: unknown, by: string, nowMs = Date.now()) {
    const rule = this.check(parseRule(input, 'api'));
    this.refuseConfigId(rule.id);
    if (!(await this.store.createRule(rule.definition, by, nowMs))) {
      throw new ConflictError(`An alert rule with the id '${rule.id}' exists`);
    }
    return this.get(rule.id);
  }

  async update(id: string, input: unknown, by: string, nowMs = Date.now()) {
    const rule = this.check(parseRule(input, 'api'));
    if (rule.id !== id) {
      throw new InputError(
        `Invalid rule field 'id': the body says '${rule.id}' but the path says '${id}'`,
      );
    }
    this.refuseConfigId(id);
    if (!(await this.store.updateRule(rule.definition, by, nowMs))) {
      throw new NotFoundError(`No alert rule '${id}'`);
    }
    return this.get(id);
  }

  async delete(id: string) {
    this.refuseConfigId(id);
    if (!(await this.store.deleteRule(id))) {
      throw new NotFoundError(`No alert rule '${id}'`);
    }
  }

  private refuseConfigId(id: string) {
    if (this.configRules.some(r => r.id === id)) {
      throw new ConflictError(
        `The alert rule '${id}' comes from config (observability.alerts.rules) and cannot be changed through the API`,
      );
    }
  }

  /** Refuses a rule on a series no source of this engine derives. */
  private check(rule: ThresholdRule): ThresholdRule {
    const source = this.sources.find(s =>
      s.kinds.includes(rule.definition.series),
    );
    if (!source) {
      throw new InputError(
        `Invalid rule field 'series': this engine derives no '${rule.definition.series}' series`,
      );
    }
    source.check?.(rule.definition);
    return rule;
  }
}

function view(stored: {
  definition: ThresholdRule['definition'];
  createdBy: string;
  createdAtMs: number;
  updatedBy: string;
  updatedAtMs: number;
}): RuleView {
  return {
    rule: stored.definition,
    source: 'api',
    createdBy: stored.createdBy,
    createdAt: new Date(stored.createdAtMs).toISOString(),
    updatedBy: stored.updatedBy,
    updatedAt: new Date(stored.updatedAtMs).toISOString(),
  };
}
