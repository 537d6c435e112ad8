import {
  describeFinding,
  validateManifests,
} from '@internal/plugin-scaffolder-backend-module-tms';
import {
  isKubernetesObject,
  listFiles,
  readDocuments,
  readManifests,
} from './__testUtils__/deployFiles';

const YAML = /\.ya?ml$/;

/*
 * API groups the scaffolder validator has schemas for: Kubernetes, Istio and
 * ArgoCD. Other documents with an apiVersion (the zero-trust policies file
 * has a format of the platform's own) are checked by their owners' tests.
 */
const VALIDATED_API =
  /^(v1|(apps|batch|policy|autoscaling)\/.+|[a-z.]*(k8s\.io|istio\.io)\/.+|argoproj\.io\/.+)$/;

function hasValidatedObjects(path: string): boolean {
  return (
    YAML.test(path) &&
    readDocuments([path]).some(
      ({ object }) =>
        isKubernetesObject(object) && VALIDATED_API.test(object.apiVersion),
    )
  );
}

const PORTAL_BASE = listFiles('deploy/portal/kubernetes/base');
const PORTAL_OVERLAYS = ['postgres-in-cluster', 'postgres-external'];

/**
 * The sets of files applied together: the portal's base with one of its
 * PostgreSQL overlays, and the platform config. A set is validated as a
 * whole, so that names clash and Istio references resolve within it.
 */
const MANIFEST_SETS: Record<string, string[]> = {
  ...Object.fromEntries(
    PORTAL_OVERLAYS.map(overlay => [
      `portal with ${overlay}`,
      [...PORTAL_BASE, ...listFiles(`deploy/portal/kubernetes/${overlay}`)],
    ]),
  ),
  platform: listFiles('deploy/platform').filter(hasValidatedObjects),
};

describe('the Kubernetes, Istio and ArgoCD documents under deploy/', () => {
  it('are all in a set that is validated', () => {
    const withObjects = listFiles('deploy').filter(hasValidatedObjects);
    const validated = new Set(Object.values(MANIFEST_SETS).flat());

    expect(withObjects.filter(path => !validated.has(path))).toEqual([]);
    expect(withObjects.length).toBeGreaterThan(30);
  });

  it.each(Object.entries(MANIFEST_SETS))(
    'pass the scaffolder validator: %s',
    async (_, paths) => {
      const result = await validateManifests(readManifests(paths));

      expect(result.findings.map(describeFinding)).toEqual([]);
      expect(result.documents).toBeGreaterThan(5);
    },
  );

  it('fail the validator when a document is broken, so the check can fail', async () => {
    const [file] = readManifests(['deploy/portal/kubernetes/base/portal.yaml']);
    const broken = {
      ...file,
      content: file.content.replace('replicas: 2', 'replicas: two'),
    };

    const result = await validateManifests([broken]);

    expect(result.findings.map(describeFinding)).toEqual([
      expect.stringContaining('spec.replicas'),
    ]);
  });
});
