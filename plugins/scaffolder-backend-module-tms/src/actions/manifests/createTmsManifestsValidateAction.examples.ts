import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Validate everything the earlier steps generated',
    example: stringify({
      steps: [
        {
          id: 'validate',
          action: 'tms:manifests:validate',
          name: 'Validate manifests',
          input: { paths: ['k8s', 'istio', 'argocd'] },
        },
      ],
    }),
  },
  {
    description: 'Validate one file that binds to a gateway of its own',
    example: stringify({
      steps: [
        {
          id: 'validate',
          action: 'tms:manifests:validate',
          name: 'Validate manifests',
          input: {
            paths: [
              'istio/virtual-service.yaml',
              'istio/destination-rule.yaml',
            ],
            knownGateways: ['istio-system/tms-gateway', 'tms/internal-gateway'],
          },
        },
      ],
    }),
  },
];
