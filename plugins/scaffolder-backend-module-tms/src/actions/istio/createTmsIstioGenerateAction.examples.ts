import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { actionExample } from '../actionExample';

export const examples: TemplateExample[] = [
  actionExample({
    description:
      'Expose a service on the public API host, callable by the API gateway',
    action: 'tms:istio:generate',
    id: 'istio',
    name: 'Generate Istio config',
    input: {
      service: 'payment-service',
      port: 8011,
      hosts: ['api.tms.example.com'],
      callers: [
        'api-gateway',
        'istio-system/istio-ingressgateway-service-account',
      ],
    },
  }),
  actionExample({
    description:
      'A mesh-only service in canary: 10% to green, round robin, tighter breaker',
    action: 'tms:istio:generate',
    id: 'istio',
    name: 'Generate Istio config',
    input: {
      service: 'ledger-service',
      port: 8012,
      callers: ['invoice-service', 'reporting-service'],
      loadBalancer: 'ROUND_ROBIN',
      blueWeight: 90,
      outlierDetection: {
        consecutive5xxErrors: 3,
        interval: '5s',
        baseEjectionTime: '1m',
        maxEjectionPercent: 30,
      },
      targetPath: 'deploy/istio',
    },
  }),
];
