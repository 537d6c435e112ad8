import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { actionExample } from '../actionExample';

export const examples: TemplateExample[] = [
  actionExample({
    description: 'Roll a new service out to the three regions from its repo',
    action: 'tms:argocd:generate',
    id: 'argocd',
    name: 'Generate ArgoCD config',
    input: {
      service: 'payment-service',
      repoUrl: 'https://github.com/tms/payment-service.git',
    },
  }),
  actionExample({
    description: 'Switch the active colour to green, on a release branch',
    action: 'tms:argocd:generate',
    id: 'argocd',
    name: 'Generate ArgoCD config',
    input: {
      service: 'ledger-service',
      repoUrl: 'https://github.com/tms/ledger-service.git',
      targetRevision: 'release-2',
      activeColor: 'green',
      project: 'tms-billing',
      targetPath: 'deploy/argocd',
    },
  }),
];
