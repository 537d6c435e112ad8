import { apiGroup, locate, ManifestFinding, ManifestResource } from './types';

type Element = Record<string, unknown>;

// A name Kubernetes accepts for an Application (an RFC 1123 subdomain).
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `{{.cluster}}` with goTemplate, `{{cluster}}` with fasttemplate. */
function placeholderPattern(goTemplate: boolean): RegExp {
  return goTemplate
    ? /\{\{-?\s*\.([\w.]+)\s*-?\}\}/g
    : /\{\{\s*([\w.]+)\s*\}\}/g;
}

function lookup(element: Element, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Element)?.[key], element);
}

/**
 * The list elements of an ApplicationSet whose generators are all list
 * generators; other generators take their parameters from the cluster or
 * from Git, which a file cannot show.
 */
function listElements(spec: any): Array<{ field: string; element: Element }> {
  const generators: any[] = spec?.generators ?? [];
  if (generators.length === 0 || !generators.every(g => g?.list)) {
    return [];
  }
  return generators.flatMap((generator, i) =>
    (generator.list.elements ?? []).map((element: Element, j: number) => ({
      field: `spec.generators[${i}].list.elements[${j}]`,
      element,
    })),
  );
}

function checkApplicationSet(resource: ManifestResource): ManifestFinding[] {
  const { spec } = resource.object;
  const elements = listElements(spec);
  const pattern = placeholderPattern(spec?.goTemplate === true);
  const template = JSON.stringify(spec?.template ?? {});
  const templateName = String(spec?.template?.metadata?.name ?? '');
  const findings: ManifestFinding[] = [];
  const names = new Map<string, string>();

  for (const { field, element } of elements) {
    // An unknown placeholder stays literal text with fasttemplate and
    // fails the whole set with missingkey=error: both are mistakes.
    const missing = new Map<string, string>();
    for (const [placeholder, key] of template.matchAll(pattern)) {
      if (lookup(element, key) === undefined) {
        missing.set(key, placeholder);
      }
    }
    for (const [key, placeholder] of missing) {
      findings.push({
        ...locate(resource),
        field,
        message: `has no parameter '${key}' for ${placeholder} in spec.template`,
      });
    }

    const name = templateName.replace(pattern, (text, key) =>
      String(lookup(element, key) ?? text),
    );
    if (!DNS_SUBDOMAIN.test(name)) {
      findings.push({
        ...locate(resource),
        field,
        message: `makes the Application name '${name}', which is not a lowercase RFC 1123 subdomain`,
      });
    } else if (names.has(name)) {
      findings.push({
        ...locate(resource),
        field,
        message: `makes the Application name '${name}' that ${names.get(
          name,
        )} makes too`,
      });
    }
    names.set(name, field);
  }
  return findings;
}

/**
 * Renders the Application names of list-generated ApplicationSets and
 * reports placeholders no element provides, names Kubernetes refuses and
 * names two elements share (two regions deploying over each other).
 *
 * @internal
 */
export function analyzeApplicationSets(
  resources: ManifestResource[],
): ManifestFinding[] {
  return resources
    .filter(
      resource =>
        apiGroup(resource.apiVersion) === 'argoproj.io' &&
        resource.kind === 'ApplicationSet',
    )
    .flatMap(checkApplicationSet);
}
