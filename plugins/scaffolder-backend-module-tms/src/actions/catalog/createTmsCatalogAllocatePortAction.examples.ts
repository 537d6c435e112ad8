import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { actionExample } from '../actionExample';

export const examples: TemplateExample[] = [
  actionExample({
    description: 'Take the next port no TMS service uses yet',
    action: 'tms:catalog:allocate-port',
    id: 'port',
    name: 'Allocate a port',
    input: {},
  }),
  actionExample({
    description: 'Check that the port the engineer asked for is free',
    action: 'tms:catalog:allocate-port',
    id: 'port',
    name: 'Allocate a port',
    input: { port: 8020 },
  }),
];
