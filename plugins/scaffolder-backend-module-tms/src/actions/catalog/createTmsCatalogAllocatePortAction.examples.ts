import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Take the next port no TMS service uses yet',
    example: stringify({
      steps: [
        {
          id: 'port',
          action: 'tms:catalog:allocate-port',
          name: 'Allocate a port',
          input: {},
        },
      ],
    }),
  },
  {
    description: 'Check that the port the engineer asked for is free',
    example: stringify({
      steps: [
        {
          id: 'port',
          action: 'tms:catalog:allocate-port',
          name: 'Allocate a port',
          input: { port: 8020 },
        },
      ],
    }),
  },
];
