import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** An action example: a template with the one step that calls the action. */
export function actionExample(options: {
  description: string;
  action: string;
  id: string;
  name: string;
  input: Record<string, unknown>;
}): TemplateExample {
  const { description, action, id, name, input } = options;
  return {
    description,
    example: stringify({ steps: [{ id, action, name, input }] }),
  };
}
