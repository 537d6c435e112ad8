import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { listFiles, REPO_ROOT } from './__testUtils__/deployFiles';
import {
  GENERATED_DIRS,
  generatePlatformFiles,
} from './platform/platformFiles';

describe('the generated platform config', () => {
  const generated = generatePlatformFiles(REPO_ROOT);

  it('is checked in as `yarn deploy:generate` writes it', () => {
    const checkedIn = GENERATED_DIRS.flatMap(listFiles).sort();

    expect(checkedIn).toEqual(generated.map(file => file.path).sort());
    for (const file of generated) {
      // One file at a time, so a failure names the stale file.
      expect({
        path: file.path,
        content: readFileSync(join(REPO_ROOT, file.path), 'utf8'),
      }).toEqual(file);
    }
  });

  it('routes and secures each of the eleven catalog services', () => {
    const objects = generated
      .filter(file => file.path.includes('/istio/services/'))
      .flatMap(file =>
        parseAllDocuments(file.content).map(document => document.toJSON()),
      );

    const kinds = (kind: string) =>
      objects.filter(o => o.kind === kind).map(o => o.metadata.name);
    expect(kinds('VirtualService')).toHaveLength(11);
    expect(kinds('DestinationRule')).toEqual(kinds('VirtualService'));
    expect(kinds('AuthorizationPolicy')).toEqual(kinds('VirtualService'));

    const observability = objects.find(
      o =>
        o.kind === 'DestinationRule' &&
        o.metadata.name === 'observability-service',
    );
    expect(observability.spec.host).toBe(
      'observability-service.tms.svc.cluster.local',
    );
  });

  it('serves the three hosts over HTTPS and redirects HTTP', () => {
    const gateway = parseAllDocuments(
      generated.find(file => file.path.endsWith('gateway.yaml'))!.content,
    )[0].toJSON();

    expect(gateway.spec.servers).toEqual([
      expect.objectContaining({
        port: { number: 80, name: 'http', protocol: 'HTTP' },
        tls: { httpsRedirect: true },
      }),
      expect.objectContaining({
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        tls: expect.objectContaining({ mode: 'SIMPLE' }),
      }),
    ]);
    for (const server of gateway.spec.servers) {
      expect(server.hosts).toEqual([
        'tms.example.com',
        'api.tms.example.com',
        'graphql.tms.example.com',
      ]);
    }
  });

  it('requires mutual TLS across the mesh', () => {
    const mesh = parseAllDocuments(
      generated.find(file =>
        file.path.endsWith('mesh-peer-authentication.yaml'),
      )!.content,
    )[0].toJSON();

    expect(mesh).toEqual(
      expect.objectContaining({
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: 'istio-system' },
        spec: { mtls: { mode: 'STRICT' } },
      }),
    );
  });

  it('rolls each service out to ap-southeast-1, us-east-1, then eu-west-1', () => {
    const sets = generated
      .filter(file => file.path.includes('/argocd/applicationsets/'))
      .map(file => parseAllDocuments(file.content)[0].toJSON());

    expect(sets).toHaveLength(11);
    for (const set of sets) {
      expect(
        set.spec.strategy.rollingSync.steps.map(
          (step: any) => step.matchExpressions[0].values[0],
        ),
      ).toEqual(['ap-southeast-1', 'us-east-1', 'eu-west-1']);
      expect(set.spec.template.spec.project).toBe('tms');
    }
  });
});
