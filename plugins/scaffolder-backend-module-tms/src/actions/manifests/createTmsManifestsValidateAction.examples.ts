import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { actionExample } from '../actionExample';

export const examples: TemplateExample[] = [
  actionExample({
    description: 'Validate everything the earlier steps generated',
    action: 'tms:manifests:validate',
    id: 'validate',
    name: 'Validate manifests',
    input: { paths: ['k8s', 'istio', 'argocd'] },
  }),
  actionExample({
    description: 'Validate one file that binds to a gateway of its own',
    action: 'tms:manifests:validate',
    id: 'validate',
    name: 'Validate manifests',
    input: {
      paths: ['istio/virtual-service.yaml', 'istio/destination-rule.yaml'],
      knownGateways: ['istio-system/tms-gateway', 'tms/internal-gateway'],
    },
  }),
];
