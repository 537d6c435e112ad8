import { readFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';
import {
  corpusDocuments,
  corpusFiles,
  corpusPath,
} from '../../__testUtils__/corpus';
import { ManifestFinding } from './types';
import { ManifestFile, validateManifests } from './validateManifests';

/*
 * Real Istio and ArgoCD files from the shared corpus; its SOURCES.md and
 * ISSUE-NOTES.md say what upstream expects of each.
 */

jest.setTimeout(60_000);

const ISTIO = 'istio-configs';

/** Each document on its own: these corpus files list alternatives. */
function eachDocument(file: string): ManifestFile[] {
  return corpusDocuments(file).map(({ index, object }) => ({
    path: `${file}#${index}`,
    content: stringify(object),
  }));
}

function summarise(findings: ManifestFinding[]) {
  return findings.map(f => `${f.file} ${f.field}: ${f.message}`);
}

/** The openAPIV3Schema of a kind in a CRD file of the corpus. */
function crdSchema(file: string, kind: string) {
  const crd = corpusDocuments(file).find(
    ({ object }) => object.spec?.names?.kind === kind,
  )!.object;
  return crd.spec.versions[0].schema.openAPIV3Schema;
}

describe('valid corpus files', () => {
  it.each(
    corpusFiles(`${ISTIO}/crd-validation-testdata`, name =>
      name.endsWith('-valid.yaml'),
    )
      .flatMap(file => eachDocument(file.path))
      .map(file => [file.path, file]),
  )('%s passes', async (_, file) => {
    const { documents, findings } = await validateManifests([file]);

    expect(summarise(findings)).toEqual([]);
    expect(documents).toBe(1);
  });

  it.each(
    corpusFiles('argocd-examples', name => name !== 'applicationset.yaml').map(
      file => [file.path, file],
    ),
  )('%s passes', async (_, file) => {
    const { findings } = await validateManifests([file]);

    expect(summarise(findings)).toEqual([]);
  });

  it('accepts the null placeholders of applicationset.yaml but not the matrix they leave empty', async () => {
    const files = corpusFiles(
      'argocd-examples',
      name => name === 'applicationset.yaml',
    );
    const matrix = crdSchema(
      'argocd-crds/applicationset-crd.yaml',
      'ApplicationSet',
    ).properties.spec.properties.generators.items.properties.matrix;

    const { findings } = await validateManifests(files);

    // The API server drops null fields before it validates, and so does the
    // validator: `template:` and `awsCodeCommit:` left empty are fine. The
    // empty `matrix.generators:` is dropped too, yet the CRD requires it, so
    // the one finding is the CRD's own rule (the corpus note calls the file
    // valid because it checked null values only).
    expect(matrix.required).toEqual(['generators']);
    expect(summarise(findings)).toEqual([
      'argocd-examples/applicationset.yaml spec.generators[6].matrix.generators: is required',
    ]);
  });

  const bookinfo = `${ISTIO}/bookinfo-networking`;
  const sharedRules = corpusFiles(bookinfo, name =>
    name.startsWith('destination-rule-all'),
  );

  it.each(
    corpusFiles(bookinfo, name => !name.startsWith('destination-rule-all')).map(
      file => [file.path, file],
    ),
  )(
    '%s passes, with the bookinfo DestinationRules where it has none',
    async (_, file) => {
      // A file with DestinationRules of its own replaces the shared ones.
      const hasOwn = file.content.includes('kind: DestinationRule');

      const { findings } = await validateManifests(
        hasOwn ? [file] : [...sharedRules, file],
      );

      // istioctl analyze warns about two of the samples; see below.
      const errors = findings.filter(f => !f.level || f.level === 'Error');
      expect(summarise(errors)).toEqual([]);
    },
  );

  it('warns about the two bookinfo samples istioctl analyze warns about', async () => {
    const files = corpusFiles(bookinfo, name =>
      [
        'egress-rule-google-apis.yaml',
        'fault-injection-details-v1.yaml',
      ].includes(name),
    );

    const findings = [];
    for (const file of files) {
      findings.push(...(await validateManifests([file])).findings);
    }

    // The second rule without matches repeats the first one's shape, like
    // upstream's sample-foo-cluster01; TLS to googleapis trusts any server.
    expect(
      findings.map(f => `${f.code} ${f.level} ${f.name} ${f.field}`),
    ).toEqual([
      'IST0129 Warning originate-tls-for-googleapis spec.trafficPolicy.portLevelSettings[0].tls',
      'IST0130 Warning details spec.http[1]',
    ]);
  });

  it.each(
    [
      ...corpusFiles(`${ISTIO}/validation-dataset`),
      ...corpusFiles(`${ISTIO}/tests-testdata-config`),
      ...corpusFiles(`${ISTIO}/authz-builder-testdata`, name =>
        name.endsWith('-in.yaml'),
      ),
    ].map(file => [file.path, file]),
  )('%s passes the schema check', async (_, file) => {
    const { findings } = await validateManifests([file]);

    // These upstream inputs are single objects, not whole meshes: a route
    // may name a subset defined nowhere, which IST0101 rightly reports.
    const others = findings.filter(f => f.code !== 'IST0101');
    expect(summarise(others)).toEqual([]);
  });

  it('finds that rule-fault-injection routes to a host and a subset nobody defines', async () => {
    const files = corpusFiles(`${ISTIO}/tests-testdata-config`, name =>
      name.startsWith('rule-fault-injection'),
    );

    const { findings } = await validateManifests(files);

    // The ServiceEntry registers c-weighted.extsvc.com, not the short `c`.
    expect(summarise(findings)).toEqual([
      `${ISTIO}/tests-testdata-config/rule-fault-injection.yaml spec.http[0].route[0].destination.host: Referenced host not found: "c"`,
      `${ISTIO}/tests-testdata-config/rule-fault-injection.yaml spec.http[0].route[0].destination.subset: Referenced host+subset in destinationrule not found: "c+v2"`,
    ]);
  });
});

/** The messages of every CEL rule in a CRD file of the corpus. */
function celMessages(crdFile: string): string[] {
  const messages: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') {
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-kubernetes-validations') {
        messages.push(
          ...value.map((rule: { message: string }) => rule.message),
        );
      } else {
        visit(value);
      }
    }
  };

  corpusDocuments(crdFile).forEach(({ object }) => visit(object));
  return messages;
}

describe('invalid corpus files', () => {
  /*
   * Upstream's `_err` is a substring of the API server's error. The schema
   * library checks OpenAPI types, bounds, patterns, enums and required
   * fields. It does not evaluate CEL rules (x-kubernetes-validations) or
   * list-map key uniqueness, and it ignores fields its Istio 1.29 schemas do
   * not know; the cases only those reject are listed here. The validator
   * checks the CEL rules and list-map keys of the Istio CRDs itself
   * (istioCrdRules.ts), so those cases fail too, by another path.
   */
  const CEL_ONLY: Record<string, string[]> = {
    'reqauth-invalid.yaml': [
      'multi-refs',
      'ref-and-selector',
      'bad-target-namespace',
      'invalid-jwks',
      'bad-timeout',
    ],
    'serviceentry-invalid.yaml': [
      'bad-selector-value',
      'selector-and-endpoints',
      'bad-host-wildcard',
      'bad-cidr-resolution',
      'duplicate-ports-number',
      'bad-port',
      'bad-port-target',
      'none-with-endpoints',
      'dns-rr-with-multiple-endpoints',
    ],
    'telemetry-invalid.yaml': ['bad-tag-upsert', 'bad-tag-remove'],
  };
  const LIST_MAP_ONLY = ['duplicate-ports-name'];
  const NEWER_THAN_LIBRARY = ['invalid-presence-value'];

  const cases = [
    'destinationrule-invalid.yaml',
    'reqauth-invalid.yaml',
    'serviceentry-invalid.yaml',
    'telemetry-invalid.yaml',
  ].flatMap(file =>
    corpusDocuments(`${ISTIO}/crd-validation-testdata/${file}`)
      // A commented-out `_err` means upstream expects nothing of the case.
      .filter(({ object }) => typeof object._err === 'string')
      .map(({ index, object: { _err, ...object } }) => ({
        title: `${file} #${index} ${object.metadata.name}`,
        file,
        name: String(object.metadata.name),
        expected: String(_err),
        manifest: { path: file, content: stringify(object) },
      })),
  );
  const isCelOnly = (c: (typeof cases)[number]) =>
    Boolean(CEL_ONLY[c.file]?.includes(c.name));
  const structural = cases.filter(
    c =>
      !isCelOnly(c) &&
      !LIST_MAP_ONLY.includes(c.name) &&
      !NEWER_THAN_LIBRARY.includes(c.name),
  );

  it('covers every case that has an upstream expectation', () => {
    expect(cases).toHaveLength(3 + 20 + 12 + 4);
    expect(structural).toHaveLength(3 + 14 + 2 + 2);
  });

  it.each(structural.map(c => [c.title, c]))(
    '%s fails on the field upstream names',
    async (_, c) => {
      const { findings } = await validateManifests([c.manifest]);

      // `_err` reads "spec.a.b: Required value" or "b[0] in body should ...":
      // the part before the colon or " in body" names the field.
      const field = c.expected.split(/: | in body /)[0];
      expect(findings.map(f => f.field)).toContainEqual(
        expect.stringMatching(new RegExp(`${escape(field)}$`)),
      );
    },
  );

  const istioCel = celMessages('istio-crds/crd-all.gen.yaml');

  it.each(cases.filter(isCelOnly).map(c => [c.title, c]))(
    '%s is rejected by a CEL rule, which the validator checks itself',
    async (_, c) => {
      const { findings } = await validateManifests([c.manifest]);

      // The reason is a CEL rule of the CRD: the schema library does not
      // evaluate it, so every finding comes from istioCrdRules.ts, which
      // reports the rules' own messages.
      // Like the API server, it reports every rule the document breaks.
      expect(istioCel.some(message => message.includes(c.expected))).toBe(true);
      expect(findings.map(f => f.message)).toContainEqual(
        expect.stringContaining(c.expected),
      );
      expect(findings.filter(f => !istioCel.includes(f.message))).toEqual([]);
    },
  );

  it('reports duplicate-ports-name as the API server list-map key check does', async () => {
    const c = cases.find(({ name }) => name === 'duplicate-ports-name')!;
    const ports = crdSchema('istio-crds/crd-all.gen.yaml', 'ServiceEntry')
      .properties.spec.properties.ports;

    const { findings } = await validateManifests([c.manifest]);

    // Neither the schema library nor CEL: `ports` is a list map keyed by
    // name, and the API server refuses a key twice.
    expect(c.expected).toBe('Duplicate value');
    expect(ports['x-kubernetes-list-type']).toBe('map');
    expect(ports['x-kubernetes-list-map-keys']).toEqual(['name']);
    expect(summarise(findings)).toEqual([
      'serviceentry-invalid.yaml spec.ports[1]: Duplicate value: {"name":"a"}',
    ]);
  });

  it('reports jwtRules presence, a field newer than the library schemas, by the CRD enum', async () => {
    const c = cases.find(({ name }) => name === 'invalid-presence-value')!;
    const presence = crdSchema(
      'istio-crds/crd-all.gen.yaml',
      'RequestAuthentication',
    ).properties.spec.properties.jwtRules.items.properties.presence;

    const { findings } = await validateManifests([c.manifest]);

    // The corpus CRD, from a newer Istio, rejects MANDATORY by its enum;
    // the validator carries that enum itself.
    expect(presence.enum).toEqual(['OPTIONAL', 'REQUIRED']);
    expect(summarise(findings)).toEqual([
      `reqauth-invalid.yaml spec.jwtRules[0].presence: ${c.expected}: supported values: "OPTIONAL", "REQUIRED"`,
    ]);
  });
});

/** A literal string as a regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('Istio analyzer fixtures', () => {
  const fixtures = `${ISTIO}/analyzer-testdata`;

  it('reports IST0101 for exactly the subsets upstream expects', async () => {
    const files = corpusFiles(fixtures, name =>
      name.startsWith('virtualservice_destinationrules'),
    );

    const { findings } = await validateManifests(files);

    expect(
      findings.map(({ code, name, field, message }) => ({
        code,
        name,
        field,
        message,
      })),
    ).toEqual([
      {
        code: 'IST0101',
        name: 'reviews-bogussubset',
        field: 'spec.http[0].route[0].destination.subset',
        message:
          'Referenced host+subset in destinationrule not found: "reviews+bogus"',
      },
      {
        code: 'IST0101',
        name: 'reviews-mirror-bogussubset',
        field: 'spec.http[0].mirror.subset',
        message:
          'Referenced mirror+subset in destinationrule not found: "reviews+bogus"',
      },
    ]);
  });

  it('words IST0101 as the message catalogue does', () => {
    const catalogue = parseAllDocuments(
      readFileSync(corpusPath(fixtures, 'messages.yaml'), 'utf8'),
    )[0].toJSON();
    const entry = catalogue.messages.find(
      (m: { code: string }) => m.code === 'IST0101',
    );

    const rendered = entry.template
      .replace('%s', 'host+subset in destinationrule')
      .replace('%q', '"reviews+bogus"');

    expect(rendered).toBe(
      'Referenced host+subset in destinationrule not found: "reviews+bogus"',
    );
  });

  it('reports IST0101 for the destination hosts and ports upstream expects', async () => {
    const files = corpusFiles(fixtures, name =>
      name.startsWith('virtualservice_destinationhosts'),
    );

    const { findings } = await validateManifests(files);

    // Upstream also expects IST0101 for the `{}` route of reviews-bogushost,
    // which the schema check reports as a missing destination instead.
    const hosts = findings.filter(f => f.field?.endsWith('.host'));
    expect(
      hosts.map(f => `${f.code} ${f.namespace}/${f.name}: ${f.message}`),
    ).toEqual([
      'IST0101 default/reviews-bogushost: Referenced host not found: "reviews-bogus"',
      'IST0101 default/reviews-bookinfo-other: Referenced host not found: "other.bookinfo.com"',
      'IST0101 default/reviews-mirror-bogushost: Referenced host not found: "reviews-bogus"',
      'IST0101 default/reviews-bogusport: Referenced host:port not found: "reviews:999"',
      'IST0101 istio-system/cross-namespace-details: Referenced host not found: "details.default.svc.cluster.local"',
      'IST0101 hello/hello-export-to-bogus: Referenced host not found: "hello.hello.svc.cluster.local"',
    ]);
  });

  it('reports IST0112 for the destination that leaves out which of two ports', async () => {
    const files = corpusFiles(fixtures, name =>
      name.startsWith('virtualservice_destinationhosts'),
    );

    const { findings } = await validateManifests(files);

    // reviews-2port-present names port 80 and is left alone.
    expect(
      findings
        .filter(f => f.code === 'IST0112')
        .map(f => `${f.namespace}/${f.name} ${f.field}: ${f.message}`),
    ).toEqual([
      'default/reviews-2port-missing spec.http[0].route[0].destination.port: This VirtualService routes to a service "reviews-2port" that exposes multiple ports [80 443]. Specifying a port in the destination is required to disambiguate.',
    ]);
  });

  it('reports IST0130 and IST0131 for exactly the rules and matches upstream expects', async () => {
    const files = corpusFiles(fixtures, name =>
      name.startsWith('virtualservice_dupmatches'),
    );

    const { findings } = await validateManifests(files);

    // Upstream's list (analyzers_test.go, "dupmatches") for this file, one
    // message per rule or match, in file order.
    expect(
      findings
        .filter(f => f.code === 'IST0130' || f.code === 'IST0131')
        .map(f => `${f.code} ${f.namespace}/${f.name} ${f.field}`),
    ).toEqual([
      'IST0130 foo/sample-foo-cluster01 spec.http[1]',
      'IST0131 default/duplicate-match spec.http[1].match[0]',
      'IST0130 default/duplicate-match spec.http[1]',
      'IST0131 default/almost-duplicate-match spec.http[1].match[0]',
      'IST0131 default/duplicate-tcp-match spec.tcp[1].match[0]',
      'IST0130 default/duplicate-tcp-match spec.tcp[1]',
      'IST0130 default/duplicate-empty-tcp spec.tcp[1]',
      'IST0131 default/almost-duplicate-tcp-match spec.tcp[1].match[0]',
      'IST0131 none/tls-routing spec.tls[1].match[0]',
      'IST0130 none/tls-routing spec.tls[1]',
      'IST0131 none/tls-routing-almostmatch spec.tls[1].match[0]',
    ]);
  });

  it('words IST0130 and IST0131 as the message catalogue does', async () => {
    const catalogue = parseAllDocuments(
      readFileSync(corpusPath(fixtures, 'messages.yaml'), 'utf8'),
    )[0].toJSON();
    const template = (code: string) =>
      catalogue.messages.find((m: { code: string }) => m.code === code)
        .template as string;
    const files = corpusFiles(fixtures, name =>
      name.startsWith('virtualservice_dupmatches'),
    );

    const { findings } = await validateManifests(files);
    const of = (name: string, code: string) =>
      findings.find(f => f.name === name && f.code === code)!.message;

    // Go's %v of the rule, the match and the earlier rule's index.
    expect(of('duplicate-match', 'IST0131')).toBe(
      template('IST0131')
        .replace('%v', 'send /api/v1/products to sample.bar')
        .replace('%v', '#0')
        .replace('%v', '0'),
    );
    expect(of('duplicate-match', 'IST0130')).toBe(
      template('IST0130')
        .replace('%v', 'send /api/v1/products to sample.bar')
        .replace('%s', 'all matches used by prior rules'),
    );
  });

  it('reports IST0128 for TLS origination that verifies no server certificate', async () => {
    const files = corpusFiles(fixtures, name =>
      name.startsWith('destinationrule-'),
    );

    const { findings } = await validateManifests(files);

    expect(
      findings.map(f => `${f.code} ${f.level} ${f.name}: ${f.message}`),
    ).toEqual([
      'IST0128 Warning db-mtls: DestinationRule db-mtls in namespace default has TLS mode set to MUTUAL but no caCertificates are set to validate server identity for host: mydbserver.prod.svc.cluster.local',
      'IST0128 Warning db-tls: DestinationRule db-tls in namespace default has TLS mode set to SIMPLE but no caCertificates are set to validate server identity for host: mydbserver.prod.svc.cluster.local',
    ]);
  });

  it('rejects the route with no destination in virtualservice_destinationhosts', async () => {
    const files = corpusFiles(fixtures, name =>
      name.startsWith('virtualservice_destinationhosts'),
    );

    const { findings } = await validateManifests(files);

    // Upstream's note: the CRD schema itself rejects this `{}` route.
    expect(findings).toContainEqual(
      expect.objectContaining({
        name: 'reviews-bogushost',
        field: 'spec.http[0].route[0].destination',
        message: 'is required',
      }),
    );
  });
});
