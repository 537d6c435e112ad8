import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Roll a new service out to the three regions from its repo',
    example: stringify({
      steps: [
        {
          id: 'argocd',
          action: 'tms:argocd:generate',
          name: 'Generate ArgoCD config',
          input: {
            service: 'payment-service',
            repoUrl: 'https://github.com/tms/payment-service.git',
          },
        },
      ],
    }),
  },
  {
    description: 'Switch the active colour to green, on a release branch',
    example: stringify({
      steps: [
        {
          id: 'argocd',
          action: 'tms:argocd:generate',
          name: 'Generate ArgoCD config',
          input: {
            service: 'ledger-service',
            repoUrl: 'https://github.com/tms/ledger-service.git',
            targetRevision: 'release-2',
            activeColor: 'green',
            project: 'tms-billing',
            targetPath: 'deploy/argocd',
          },
        },
      ],
    }),
  },
];
