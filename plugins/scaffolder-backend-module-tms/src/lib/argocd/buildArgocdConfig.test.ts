import { renderYamlDocuments } from '../renderYaml';
import { validateManifests } from '../validation/validateManifests';
import { ArgocdConfigOptions, buildArgocdConfig } from './buildArgocdConfig';

const options: ArgocdConfigOptions = {
  service: 'payment-service',
  namespace: 'tms',
  repoUrl: 'https://github.com/tms/payment-service.git',
  targetRevision: 'main',
  pathTemplate: 'deploy/overlays/{region}',
  project: 'tms',
  activeColor: 'blue',
  argocdNamespace: 'argocd',
};

describe('buildArgocdConfig', () => {
  it('names one Application per region and cluster, in rollout order', () => {
    const config = buildArgocdConfig(options) as any;
    const elements = config.applicationSet.spec.generators[0].list.elements;

    expect(config.applicationNames).toEqual([
      'payment-service-ap-southeast-1',
      'payment-service-us-east-1',
      'payment-service-eu-west-1',
    ]);
    expect(elements).toEqual([
      {
        name: 'payment-service-ap-southeast-1',
        region: 'ap-southeast-1',
        cluster: 'tms-ap-southeast-1',
        path: 'deploy/overlays/ap-southeast-1',
      },
      {
        name: 'payment-service-us-east-1',
        region: 'us-east-1',
        cluster: 'tms-us-east-1',
        path: 'deploy/overlays/us-east-1',
      },
      {
        name: 'payment-service-eu-west-1',
        region: 'eu-west-1',
        cluster: 'tms-eu-west-1',
        path: 'deploy/overlays/eu-west-1',
      },
    ]);
    expect(new Set(elements.map((e: any) => e.name)).size).toBe(3);
    expect(new Set(elements.map((e: any) => e.cluster)).size).toBe(3);
  });

  it('syncs one region at a time, primary last', () => {
    const { applicationSet } = buildArgocdConfig(options) as any;

    expect(applicationSet.spec.strategy.type).toBe('RollingSync');
    expect(
      applicationSet.spec.strategy.rollingSync.steps.map(
        (step: any) => step.matchExpressions[0].values,
      ),
    ).toEqual([['ap-southeast-1'], ['us-east-1'], ['eu-west-1']]);
    expect(applicationSet.spec.template.metadata.labels).toEqual({
      app: 'payment-service',
      'tms.example.com/region': '{{.region}}',
    });
  });

  it('carries the blue-green settings and leaves route weights to the cut-over', () => {
    const { applicationSet } = buildArgocdConfig({
      ...options,
      activeColor: 'green',
    }) as any;
    const { template } = applicationSet.spec;

    expect(template.metadata.annotations).toEqual({
      'tms.example.com/rollout-strategy': 'blue-green',
      'tms.example.com/active-color': 'green',
    });
    expect(template.spec.ignoreDifferences).toEqual([
      {
        group: 'networking.istio.io',
        kind: 'VirtualService',
        name: 'payment-service',
        jqPathExpressions: ['.spec.http[].route[].weight'],
      },
    ]);
  });

  it('limits the project to the repository and the three clusters', () => {
    const { appProject } = buildArgocdConfig(options) as any;

    expect(appProject.spec.sourceRepos).toEqual([options.repoUrl]);
    expect(appProject.spec.destinations).toEqual([
      { name: 'tms-ap-southeast-1', namespace: 'tms' },
      { name: 'tms-us-east-1', namespace: 'tms' },
      { name: 'tms-eu-west-1', namespace: 'tms' },
    ]);
  });

  it('produces config that passes the ArgoCD schemas', async () => {
    const config = buildArgocdConfig(options);

    const { documents, findings } = await validateManifests([
      {
        path: 'argocd.yaml',
        content: renderYamlDocuments([
          config.appProject,
          config.applicationSet,
        ]),
      },
    ]);

    expect(findings).toEqual([]);
    expect(documents).toBe(2);
  });

  it.each([
    [{ repoUrl: 'github.com/tms/x' }, "Repository URL 'github.com/tms/x'"],
    [
      { pathTemplate: 'deploy' },
      "Path template 'deploy' must contain {region}",
    ],
    [
      { service: 'a-very-long-service-name-that-will-not-fit-in-a-label' },
      "Service name 'a-very-long-service-name-that-will-not-fit-in-a-label'",
    ],
  ])('refuses %j', (overrides, message) => {
    expect(() => buildArgocdConfig({ ...options, ...overrides })).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining(message),
      }),
    );
  });
});
