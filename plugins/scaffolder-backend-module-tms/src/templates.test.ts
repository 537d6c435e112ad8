import { resolveParameterSteps } from '@backstage/plugin-scaffolder-common/alpha';
import { validate } from 'jsonschema';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

/*
 * The repository's templates as the scaffolder checks a task's values on
 * POST /v2/tasks: each visible parameter step validated with jsonschema,
 * with no form defaults applied. A parameter that decides whether a step
 * runs must be required, or a task started through the API without it
 * skips those steps and still completes.
 */

const TEMPLATES_ROOT = resolve(__dirname, '../../../templates');

type Template = {
  metadata: { name: string };
  spec: {
    parameters: Array<Record<string, any>>;
    steps: Array<{ id: string; if?: string | boolean }>;
  };
};

const templates: Array<[string, Template]> = readdirSync(TEMPLATES_ROOT, {
  withFileTypes: true,
})
  .filter(entry => entry.isDirectory())
  .map(entry => {
    const template: Template = parse(
      readFileSync(
        resolve(TEMPLATES_ROOT, entry.name, 'template.yaml'),
        'utf8',
      ),
    );
    return [template.metadata.name, template];
  });

/** The scaffolder router's validateParameterSteps: the errors, if any. */
function validationErrors(template: Template, values: Record<string, any>) {
  const parameters = template.spec.parameters;
  const resolved = resolveParameterSteps(
    values,
    parameters.map(schema => ({ schema, when: schema.when })),
  );
  for (const [index, schema] of parameters.entries()) {
    if (!resolved.visible[index]) continue;
    const result = validate(values, schema);
    if (!result.valid) {
      return result.errors.map(error => error.stack);
    }
  }
  return [];
}

/** Values that fill every required parameter but publishTarget. */
const REQUIRED_VALUES: Record<string, Record<string, unknown>> = {
  'tms-microservice': {
    name: 'payment-service',
    description: 'Takes payments',
    owner: 'group:default/billing-team',
  },
  'tms-traffic-policy': { service: 'component:default/quiz-service' },
  'tms-region-rollout': { service: 'component:default/invoice-service' },
};

describe('the templates as the scaffolder API validates them', () => {
  it('covers every template', () => {
    expect(templates.map(([name]) => name).sort()).toEqual(
      Object.keys(REQUIRED_VALUES).sort(),
    );
  });

  describe.each(templates)('%s', (name, template) => {
    it('refuses a task without publishTarget', () => {
      expect(validationErrors(template, REQUIRED_VALUES[name])).toEqual([
        'instance requires property "publishTarget"',
      ]);
    });

    it('accepts each publish target', () => {
      expect(
        validationErrors(template, {
          ...REQUIRED_VALUES[name],
          publishTarget: 'local',
        }),
      ).toEqual([]);
      expect(
        validationErrors(template, {
          ...REQUIRED_VALUES[name],
          publishTarget: 'github',
          repoUrl: 'github.com?owner=tms-platform&repo=new',
        }),
      ).toEqual([]);
    });

    it('refuses an unknown publish target', () => {
      expect(
        validationErrors(template, {
          ...REQUIRED_VALUES[name],
          publishTarget: 'gitlab',
        }),
      ).not.toEqual([]);
    });

    it('requires every parameter a step condition reads', () => {
      const required = new Set(
        template.spec.parameters.flatMap(step => step.required ?? []),
      );
      const read = template.spec.steps.flatMap(step =>
        typeof step.if === 'string'
          ? [...step.if.matchAll(/parameters\.(\w+)/g)].map(m => m[1])
          : [],
      );

      expect(read.filter(parameter => !required.has(parameter))).toEqual([]);
    });
  });
});
