import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { actionExample } from '../actionExample';

export const examples: TemplateExample[] = [
  actionExample({
    description: 'Publish the whole workspace as a local repository',
    action: 'tms:publish:local',
    id: 'publish',
    name: 'Publish locally',
    input: { name: 'payment-service' },
  }),
  actionExample({
    description: 'Publish only the generated service folder',
    action: 'tms:publish:local',
    id: 'publish',
    name: 'Publish locally',
    input: { name: 'ledger-service', sourcePath: 'ledger-service' },
  }),
];
