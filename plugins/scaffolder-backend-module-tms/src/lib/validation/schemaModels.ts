import { ManifestFinding, ManifestResource, locate } from './types';

type ModelClass = {
  new (data: object): { validate(): void };
  apiVersion: string;
  kind: string;
};

type ModelModule = Record<string, unknown>;

/*
 * The @kubernetes-models packages are ES modules only, so they are loaded
 * with import() and only for the API versions a run meets. Loading every
 * schema up front would cost the backend memory it never uses.
 */
const MODEL_MODULES: Record<string, () => Promise<ModelModule>> = {
  v1: () => import('kubernetes-models/v1'),
  'apps/v1': () => import('kubernetes-models/apps/v1'),
  'autoscaling/v2': () => import('kubernetes-models/autoscaling/v2'),
  'batch/v1': () => import('kubernetes-models/batch/v1'),
  'policy/v1': () => import('kubernetes-models/policy/v1'),
  'networking.k8s.io/v1': () =>
    import('kubernetes-models/networking.k8s.io/v1'),
  'rbac.authorization.k8s.io/v1': () =>
    import('kubernetes-models/rbac.authorization.k8s.io/v1'),
  'networking.istio.io/v1': () =>
    import('@kubernetes-models/istio/networking.istio.io/v1'),
  'networking.istio.io/v1beta1': () =>
    import('@kubernetes-models/istio/networking.istio.io/v1beta1'),
  'networking.istio.io/v1alpha3': () =>
    import('@kubernetes-models/istio/networking.istio.io/v1alpha3'),
  'security.istio.io/v1': () =>
    import('@kubernetes-models/istio/security.istio.io/v1'),
  'security.istio.io/v1beta1': () =>
    import('@kubernetes-models/istio/security.istio.io/v1beta1'),
  'telemetry.istio.io/v1': () =>
    import('@kubernetes-models/istio/telemetry.istio.io/v1'),
  'telemetry.istio.io/v1alpha1': () =>
    import('@kubernetes-models/istio/telemetry.istio.io/v1alpha1'),
  'argoproj.io/v1alpha1': () =>
    import('@kubernetes-models/argo-cd/argoproj.io/v1alpha1'),
};

/** The API versions whose documents can be checked against a schema. */
export const SUPPORTED_API_VERSIONS = Object.keys(MODEL_MODULES);

type SchemaError = {
  instancePath: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
};

/** `/spec/http/0/route` as `spec.http[0].route`. */
function fieldPath(instancePath: string): string | undefined {
  const path = instancePath
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(part => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
  return path || undefined;
}

function describeSchemaError(error: SchemaError) {
  const missing = error.params?.missingProperty;
  // A missing property is the offending field itself, not its parent.
  if (error.keyword === 'required' && typeof missing === 'string') {
    const parent = fieldPath(error.instancePath);
    return {
      field: parent ? `${parent}.${missing}` : missing,
      message: 'is required',
    };
  }

  const allowed = error.params?.allowedValues as unknown[] | undefined;
  const message = error.message ?? 'is invalid';
  return {
    field: fieldPath(error.instancePath),
    message: allowed ? `${message}: ${allowed.join(', ')}` : message,
  };
}

async function findModel(
  apiVersion: string,
  kind: string,
): Promise<ModelClass | undefined> {
  const load = MODEL_MODULES[apiVersion];
  if (!load) {
    return undefined;
  }

  const model = (await load())[kind] as ModelClass | undefined;
  return model?.kind === kind && model.apiVersion === apiVersion
    ? model
    : undefined;
}

/**
 * Checks a document against the OpenAPI schema that Kubernetes, Istio or
 * ArgoCD publishes for its kind. CEL rules (`x-kubernetes-validations`) are
 * not part of these schemas and are not evaluated.
 *
 * @internal
 */
export async function checkSchema(
  resource: ManifestResource,
): Promise<ManifestFinding[]> {
  const Model = await findModel(resource.apiVersion, resource.kind);
  if (!Model) {
    return [
      {
        ...locate(resource),
        field: 'apiVersion',
        message: `no schema is known for kind '${resource.kind}' in '${resource.apiVersion}'`,
      },
    ];
  }

  try {
    new Model(resource.object).validate();
    return [];
  } catch (error) {
    const errors = ((error as { errors?: SchemaError[] }).errors ?? []).filter(
      // ajv adds an 'anyOf' summary after the branches it tried.
      e => e.message !== 'must match a schema in anyOf',
    );
    if (errors.length === 0) {
      throw error;
    }
    return errors.map(e => ({
      ...locate(resource),
      ...describeSchemaError(e),
    }));
  }
}
