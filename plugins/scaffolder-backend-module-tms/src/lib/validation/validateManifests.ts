import { parseAllDocuments } from 'yaml';
import { analyzeApplicationSets } from './analyzeApplicationSets';
import { analyzeIstio } from './analyzeIstio';
import { checkIstioCrdRules } from './istioCrdRules';
import { checkSchema } from './schemaModels';
import { apiGroup, locate, ManifestFinding, ManifestResource } from './types';

/**
 * A manifest file to validate: its path for the messages and its text.
 *
 * @public
 */
export type ManifestFile = { path: string; content: string };

/** @public */
export type ValidateManifestsOptions = {
  /** Gateways that exist outside the files, as `namespace/name`. */
  knownGateways?: string[];
  /** Istio's root namespace; `istio-system` unless the mesh says otherwise. */
  rootNamespace?: string;
};

/** @public */
export type ManifestValidationResult = {
  documents: number;
  findings: ManifestFinding[];
};

// metadata.name of most kinds must be an RFC 1123 subdomain.
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The API server drops null-valued fields before it validates, so a key
 * left empty in YAML (`template:` with nothing after it) is no error there.
 */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(pruneNulls);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== null)
        .map(([key, field]) => [key, pruneNulls(field)]),
    );
  }
  return value;
}

function readFile(file: ManifestFile) {
  const resources: ManifestResource[] = [];
  const findings: ManifestFinding[] = [];

  parseAllDocuments(file.content).forEach((document, index) => {
    if (document.errors.length > 0) {
      findings.push({
        file: file.path,
        index,
        // The first line says what and where; the rest quotes the source.
        message: `is not valid YAML: ${document.errors[0].message
          .split('\n')[0]
          .replace(/:$/, '')}`,
      });
      return;
    }

    const object = pruneNulls(document.toJSON()) as any;
    if (object === null || object === undefined) {
      return;
    }
    if (typeof object !== 'object' || Array.isArray(object)) {
      findings.push({ file: file.path, index, message: 'is not an object' });
      return;
    }
    resources.push({
      file: file.path,
      index,
      apiVersion: String(object.apiVersion ?? ''),
      kind: String(object.kind ?? ''),
      namespace: String(object.metadata?.namespace ?? 'default'),
      name: String(object.metadata?.name ?? ''),
      object,
    });
  });
  return { resources, findings };
}

function checkName(resource: ManifestResource): ManifestFinding[] {
  if (resource.name.length <= 253 && DNS_SUBDOMAIN.test(resource.name)) {
    return [];
  }
  return [
    {
      ...locate(resource),
      field: 'metadata.name',
      message: `'${resource.name}' is not a lowercase RFC 1123 subdomain`,
    },
  ];
}

/** The same kind, namespace and name twice: the API server keeps one. */
function checkDuplicates(resources: ManifestResource[]): ManifestFinding[] {
  const seen = new Map<string, ManifestResource>();
  const findings: ManifestFinding[] = [];

  for (const resource of resources) {
    const key = [
      apiGroup(resource.apiVersion),
      resource.kind,
      resource.namespace,
      resource.name,
    ].join('/');
    const first = seen.get(key);
    if (first) {
      findings.push({
        ...locate(resource),
        field: 'metadata.name',
        message: `duplicate name '${resource.name}', already used by ${first.file} document ${first.index}`,
      });
    } else {
      seen.set(key, resource);
    }
  }
  return findings;
}

/**
 * Validates Kubernetes, Istio and ArgoCD manifests: each document against
 * its kind's schema, names, duplicates across all files, the Application
 * names list-generated ApplicationSets make, and the cross-resource checks
 * of Istio's analyzer.
 *
 * @public
 */
export async function validateManifests(
  files: ManifestFile[],
  options: ValidateManifestsOptions = {},
): Promise<ManifestValidationResult> {
  const parsed = files.map(readFile);
  const resources = parsed.flatMap(file => file.resources);

  const findings = parsed.flatMap(file => file.findings);
  for (const resource of resources) {
    findings.push(
      ...checkName(resource),
      ...(await checkSchema(resource)),
      ...checkIstioCrdRules(resource),
    );
  }
  findings.push(...checkDuplicates(resources));
  findings.push(...analyzeApplicationSets(resources));
  findings.push(
    ...analyzeIstio(resources, {
      knownGateways: options.knownGateways ?? [],
      rootNamespace: options.rootNamespace ?? 'istio-system',
    }),
  );

  return { documents: resources.length, findings };
}
