import { stringify } from 'yaml';
import { validateManifests } from './validateManifests';

function applicationSet(
  elements: object[],
  name: string,
  goTemplate = true,
): string {
  return stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: {
      goTemplate,
      generators: [{ list: { elements } }],
      template: {
        metadata: { name },
        spec: {
          project: 'tms',
          source: { repoURL: 'https://github.com/tms/shop.git', path: 'x' },
          destination: { name: goTemplate ? '{{.cluster}}' : '{{cluster}}' },
        },
      },
    },
  });
}

async function findings(content: string) {
  const result = await validateManifests([{ path: 'appset.yaml', content }]);
  return result.findings.map(f => `${f.field}: ${f.message}`);
}

describe('ApplicationSet analysis', () => {
  it('accepts one distinct name per region and cluster', async () => {
    const content = applicationSet(
      [
        { region: 'us-east-1', cluster: 'tms-us-east-1' },
        { region: 'eu-west-1', cluster: 'tms-eu-west-1' },
      ],
      'shop-{{.region}}',
    );

    expect(await findings(content)).toEqual([]);
  });

  it('reports two elements that make the same Application name', async () => {
    const content = applicationSet(
      [
        { region: 'us-east-1', cluster: 'tms-us-east-1' },
        { region: 'us-east-1', cluster: 'tms-eu-west-1' },
      ],
      'shop-{{.region}}',
    );

    expect(await findings(content)).toEqual([
      "spec.generators[0].list.elements[1]: makes the Application name 'shop-us-east-1' that spec.generators[0].list.elements[0] makes too",
    ]);
  });

  it('reports a placeholder no element provides, with either syntax', async () => {
    const content = applicationSet(
      [{ name: 'in-cluster', url: 'https://kubernetes.default.svc' }],
      '{{cluster}}-shop',
      false,
    );

    expect(await findings(content)).toEqual([
      "spec.generators[0].list.elements[0]: has no parameter 'cluster' for {{cluster}} in spec.template",
      "spec.generators[0].list.elements[0]: makes the Application name '{{cluster}}-shop', which is not a lowercase RFC 1123 subdomain",
    ]);
  });

  it('refuses a name built from a server URL', async () => {
    const content = applicationSet(
      [{ cluster: 'https://kubernetes.default.svc' }],
      '{{.cluster}}-shop',
    );

    expect(await findings(content)).toEqual([
      "spec.generators[0].list.elements[0]: makes the Application name 'https://kubernetes.default.svc-shop', which is not a lowercase RFC 1123 subdomain",
    ]);
  });
});
