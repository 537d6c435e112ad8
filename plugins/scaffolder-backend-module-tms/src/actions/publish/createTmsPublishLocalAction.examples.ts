import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Publish the whole workspace as a local repository',
    example: stringify({
      steps: [
        {
          id: 'publish',
          action: 'tms:publish:local',
          name: 'Publish locally',
          input: { name: 'payment-service' },
        },
      ],
    }),
  },
  {
    description: 'Publish only the generated service folder',
    example: stringify({
      steps: [
        {
          id: 'publish',
          action: 'tms:publish:local',
          name: 'Publish locally',
          input: { name: 'ledger-service', sourcePath: 'ledger-service' },
        },
      ],
    }),
  },
];
