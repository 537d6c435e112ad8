/**
 * One problem found in a set of manifests, located down to the field.
 *
 * @public
 */
export type ManifestFinding = {
  file: string;
  /** Position of the document in its file, counting from 0. */
  index: number;
  kind?: string;
  namespace?: string;
  name?: string;
  /** Dotted path of the offending field, e.g. `spec.http[0].route`. */
  field?: string;
  /** An `istioctl analyze` message code such as IST0101, where one fits. */
  code?: string;
  /**
   * How serious `istioctl analyze` rates the finding; schema and CRD rule
   * findings, which the API server rejects, are errors and leave it out.
   */
  level?: 'Error' | 'Warning' | 'Info';
  message: string;
};

/**
 * A parsed document with where it came from.
 *
 * @internal
 */
export type ManifestResource = {
  file: string;
  index: number;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  object: Record<string, any>;
};

/** The API group of an apiVersion: `networking.istio.io/v1` to its group. */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/**
 * A finding as one line: file, document, object, field, message and code.
 *
 * @public
 */
export function describeFinding(finding: ManifestFinding): string {
  const object = finding.kind
    ? ` (${finding.kind} ${finding.namespace}/${finding.name})`
    : '';
  const field = finding.field ? ` ${finding.field}:` : ':';
  const code = finding.code
    ? ` [${finding.code}${finding.level ? ` ${finding.level}` : ''}]`
    : '';
  return `${finding.file} document ${finding.index}${object}${field} ${finding.message}${code}`;
}

/** The finding's location for a resource. */
export function locate(
  resource: ManifestResource,
): Pick<ManifestFinding, 'file' | 'index' | 'kind' | 'namespace' | 'name'> {
  const { file, index, kind, namespace, name } = resource;
  return { file, index, kind, namespace, name };
}
