import { InputError } from '@backstage/errors';
import {
  clusterName,
  DNS_LABEL,
  ROLLOUT_REGIONS,
  TmsRegion,
} from '../tmsPlatform';

/**
 * What the ArgoCD configuration of one TMS service is made from.
 *
 * @internal
 */
export type ArgocdConfigOptions = {
  service: string;
  namespace: string;
  /** The Git repository that holds the service's manifests. */
  repoUrl: string;
  targetRevision: string;
  /** Path of a region's manifests; `{region}` is replaced by its id. */
  pathTemplate: string;
  /** The AppProject the Applications belong to. */
  project: string;
  /** The colour that serves traffic; the other one takes the next release. */
  activeColor: 'blue' | 'green';
  /** Where the ApplicationSet and the AppProject live. */
  argocdNamespace: string;
};

/** @internal */
export type ArgocdConfig = {
  appProject: object;
  applicationSet: object;
  /** The Application names the ApplicationSet creates, in rollout order. */
  applicationNames: string[];
};

const REGION_LABEL = 'tms.example.com/region';

function checkOptions(options: ArgocdConfigOptions) {
  if (!/^(https:\/\/|git@|file:\/\/)/.test(options.repoUrl)) {
    throw new InputError(
      `Repository URL '${options.repoUrl}' must start with https://, git@ or file://`,
    );
  }

  if (!options.pathTemplate.includes('{region}')) {
    // Without the placeholder every region would deploy the same manifests.
    throw new InputError(
      `Path template '${options.pathTemplate}' must contain {region}`,
    );
  }

  const tooLong = applicationName(options.service, 'ap-southeast-1');
  if (tooLong.length > 63 || !DNS_LABEL.test(tooLong)) {
    throw new InputError(
      `Service name '${options.service}' makes the Application name '${tooLong}', which is not a DNS label of at most 63 characters`,
    );
  }
}

/** One Application per region and cluster, so the name carries both. */
function applicationName(service: string, region: TmsRegion): string {
  return `${service}-${region}`;
}

function buildAppProject(options: ArgocdConfigOptions) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: options.project, namespace: options.argocdNamespace },
    spec: {
      description: `TMS services deployed region by region`,
      sourceRepos: [options.repoUrl],
      destinations: ROLLOUT_REGIONS.map(region => ({
        name: clusterName(region),
        namespace: options.namespace,
      })),
      // Blue-green cut-overs change Istio routing only; nothing may create
      // cluster-wide objects from a service repository.
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}

function buildApplicationSet(options: ArgocdConfigOptions) {
  const { service, namespace, activeColor } = options;

  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: service, namespace: options.argocdNamespace },
    spec: {
      goTemplate: true,
      // A parameter missing from an element fails the whole set instead of
      // producing an Application named after an empty value.
      goTemplateOptions: ['missingkey=error'],
      generators: [
        {
          list: {
            elements: ROLLOUT_REGIONS.map(region => ({
              name: applicationName(service, region),
              region,
              cluster: clusterName(region),
              path: options.pathTemplate.replace('{region}', region),
            })),
          },
        },
      ],
      // One region at a time, in the order of ROLLOUT_REGIONS.
      strategy: {
        type: 'RollingSync',
        rollingSync: {
          steps: ROLLOUT_REGIONS.map(region => ({
            matchExpressions: [
              { key: REGION_LABEL, operator: 'In', values: [region] },
            ],
            maxUpdate: 1,
          })),
        },
      },
      template: {
        metadata: {
          name: '{{.name}}',
          labels: { app: service, [REGION_LABEL]: '{{.region}}' },
          annotations: {
            'tms.example.com/rollout-strategy': 'blue-green',
            'tms.example.com/active-color': activeColor,
          },
        },
        spec: {
          project: options.project,
          source: {
            repoURL: options.repoUrl,
            targetRevision: options.targetRevision,
            path: '{{.path}}',
          },
          destination: { name: '{{.cluster}}', namespace },
          syncPolicy: {
            syncOptions: ['CreateNamespace=true', 'ApplyOutOfSyncOnly=true'],
            retry: {
              limit: 5,
              backoff: { duration: '10s', factor: 2, maxDuration: '5m' },
            },
          },
          // The blue-green cut-over moves the route weights in the cluster;
          // ArgoCD must not put them back until the repository catches up.
          ignoreDifferences: [
            {
              group: 'networking.istio.io',
              kind: 'VirtualService',
              name: service,
              jqPathExpressions: ['.spec.http[].route[].weight'],
            },
          ],
        },
      },
    },
  };
}

/**
 * Builds the AppProject and the ApplicationSet that deploy one TMS service
 * to the three regions, one region at a time in rollout order.
 *
 * @internal
 */
export function buildArgocdConfig(options: ArgocdConfigOptions): ArgocdConfig {
  checkOptions(options);

  return {
    appProject: buildAppProject(options),
    applicationSet: buildApplicationSet(options),
    applicationNames: ROLLOUT_REGIONS.map(region =>
      applicationName(options.service, region),
    ),
  };
}
