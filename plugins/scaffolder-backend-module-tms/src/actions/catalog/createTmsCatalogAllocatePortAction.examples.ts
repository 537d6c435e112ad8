import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { actionExample } from '../actionExample';

export const examples: TemplateExample[] = [
  actionExample({
    description:
      'Reserve the next port no TMS service uses or has reserved yet',
    action: 'tms:catalog:allocate-port',
    id: 'port',
    name: 'Allocate a port',
    input: { service: 'payment-service' },
  }),
  actionExample({
    description:
      'Check that the port the engineer asked for is free, and reserve it',
    action: 'tms:catalog:allocate-port',
    id: 'port',
    name: 'Allocate a port',
    input: { service: 'payment-service', port: 8020 },
  }),
];
