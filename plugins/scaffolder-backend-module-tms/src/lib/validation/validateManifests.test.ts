import { describeFinding } from './types';
import { validateManifests } from './validateManifests';

function file(path: string, content: string) {
  return { path, content };
}

const destinationRule = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  subsets: [{ name: v1, labels: { version: v1 } }]
`;

function virtualService(name: string, namespace: string, spec: string) {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}`;
}

describe('validateManifests', () => {
  it('names the file, the document and the field of a schema error', async () => {
    const { findings } = await validateManifests([
      file(
        'istio/dr.yaml',
        `${destinationRule}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ratings, namespace: shop }
spec:
  host: ratings
  trafficPolicy:
    loadBalancer: { simple: FASTEST }
`,
      ),
    ]);

    expect(findings.map(describeFinding)).toEqual([
      'istio/dr.yaml document 1 (DestinationRule shop/ratings) spec.trafficPolicy.loadBalancer.simple: must be equal to one of the allowed values: UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST',
    ]);
  });

  it('reports a required field by its own path', async () => {
    const { findings } = await validateManifests([
      file(
        'k8s/deployment.yaml',
        `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template: { spec: { containers: [{ name: web, image: web:1 }] } }
`,
      ),
    ]);

    expect(findings).toEqual([
      {
        file: 'k8s/deployment.yaml',
        index: 0,
        kind: 'Deployment',
        namespace: 'default',
        name: 'web',
        field: 'spec.selector',
        message: 'is required',
      },
    ]);
  });

  it('finds the same name twice across files, whatever the API version', async () => {
    const { findings } = await validateManifests([
      file('a.yaml', destinationRule),
      file(
        'b.yaml',
        destinationRule.replace(
          'networking.istio.io/v1',
          'networking.istio.io/v1beta1',
        ),
      ),
    ]);

    expect(findings.map(describeFinding)).toEqual([
      "b.yaml document 0 (DestinationRule shop/reviews) metadata.name: duplicate name 'reviews', already used by a.yaml document 0",
    ]);
  });

  it('resolves short and fully qualified hosts to the same DestinationRule', async () => {
    const { findings } = await validateManifests([
      file('dr.yaml', destinationRule),
      file(
        'vs.yaml',
        virtualService(
          'reviews',
          'shop',
          `  hosts: [reviews]
  http:
  - route:
    - destination: { host: reviews, subset: v1 }
    - destination: { host: reviews.shop.svc.cluster.local, subset: v1 }
    - destination: { host: reviews.shop.svc.cluster.local, subset: v2 }
`,
        ),
      ),
    ]);

    expect(findings.map(describeFinding)).toEqual([
      'vs.yaml document 0 (VirtualService shop/reviews) spec.http[0].route[2].destination.subset: Referenced host+subset in destinationrule not found: "reviews.shop.svc.cluster.local+v2" [IST0101]',
    ]);
  });

  it('reads a short host in the namespace of the VirtualService', async () => {
    const { findings } = await validateManifests([
      file('dr.yaml', destinationRule),
      file(
        'vs.yaml',
        virtualService(
          'reviews',
          'other',
          `  hosts: [reviews]
  http:
  - route:
    - destination: { host: reviews, subset: v1 }
`,
        ),
      ),
    ]);

    expect(findings.map(f => f.code)).toEqual(['IST0101']);
  });

  it('sees DestinationRules of the root namespace and hides those exported to their own', async () => {
    const rootRule = destinationRule
      .replace('namespace: shop', 'namespace: istio-system')
      .replace('host: reviews', 'host: reviews.shop.svc.cluster.local')
      .concat('  exportTo: ["."]\n');
    const privateRule = destinationRule
      .replace(
        'name: reviews, namespace: shop',
        'name: ratings, namespace: shop',
      )
      .replace('host: reviews', 'host: ratings')
      .concat('  exportTo: ["."]\n');
    const routes = `  hosts: [front]
  http:
  - route:
    - destination: { host: reviews.shop.svc.cluster.local, subset: v1 }
    - destination: { host: ratings.shop.svc.cluster.local, subset: v1 }
`;

    const { findings } = await validateManifests([
      file('root.yaml', rootRule),
      file('private.yaml', privateRule),
      file('vs.yaml', virtualService('front', 'web', routes)),
    ]);

    expect(findings.map(f => `${f.field}: ${f.message}`)).toEqual([
      'spec.http[0].route[1].destination.subset: Referenced host+subset in destinationrule not found: "ratings.shop.svc.cluster.local+v1"',
    ]);
  });

  it('reports a gateway that neither the files nor the mesh have', async () => {
    const gateway = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }]
`;
    const routes = `  hosts: [shop.example.com]
  gateways: [public, shop/public, istio-system/tms-gateway, mesh, missing]
  http:
  - match: [{ gateways: [other/public] }]
    route:
    - destination: { host: reviews }
`;

    const { findings } = await validateManifests(
      [
        file('gw.yaml', gateway),
        file('vs.yaml', virtualService('shop', 'shop', routes)),
      ],
      { knownGateways: ['istio-system/tms-gateway'] },
    );

    expect(findings.map(f => `${f.field}: ${f.message} [${f.code}]`)).toEqual([
      'spec.gateways[4]: Referenced gateway not found: "missing" [IST0101]',
      'spec.http[0].match[0].gateways[0]: Referenced gateway not found: "other/public" [IST0101]',
    ]);
  });

  it('refuses kinds it has no schema for, bad names and broken YAML', async () => {
    const { findings } = await validateManifests([
      file(
        'misc.yaml',
        `apiVersion: example.com/v1
kind: Widget
metadata: { name: widget }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: Not_A_Name }
---
key: [unclosed
`,
      ),
    ]);

    expect(findings.map(describeFinding)).toEqual([
      'misc.yaml document 2: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 10, column 1',
      "misc.yaml document 0 (Widget default/widget) apiVersion: no schema is known for kind 'Widget' in 'example.com/v1'",
      "misc.yaml document 1 (ConfigMap default/Not_A_Name) metadata.name: 'Not_A_Name' is not a lowercase RFC 1123 subdomain",
    ]);
  });
});
