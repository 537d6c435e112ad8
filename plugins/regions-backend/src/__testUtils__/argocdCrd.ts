import path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { corpusDir, readCorpusYaml } from './corpus';

/** Argo CD's Application CRD and reference Application (argoproj/argo-cd). */
export const applicationCrdFile = path.join(
  corpusDir,
  'argocd-crds/application-crd.yaml',
);
export const referenceApplicationFile = path.join(
  corpusDir,
  'argocd-examples/application.yaml',
);

/** A JSON schema node of a CRD's openAPIV3Schema (the parts we walk). */
export interface CrdSchema {
  type?: string;
  format?: string;
  properties?: Record<string, CrdSchema>;
  items?: CrdSchema;
  additionalProperties?: boolean | CrdSchema;
  required?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [keyword: string]: unknown;
}

/** The openAPIV3Schema of the Application CRD's v1alpha1 version. */
export function applicationSchema(): CrdSchema {
  const crd = readCorpusYaml<{
    spec: {
      versions: Array<{
        name: string;
        schema: { openAPIV3Schema: CrdSchema };
      }>;
    };
  }>(applicationCrdFile);
  const version = crd.spec.versions.find(v => v.name === 'v1alpha1');
  if (!version) throw new Error(`${applicationCrdFile} has no v1alpha1`);
  return version.schema.openAPIV3Schema;
}

/**
 * The same schema with `additionalProperties: false` on every object that
 * declares its properties and does not preserve unknown fields. The API
 * server prunes such fields from a structural CRD before validating, so a
 * field the schema does not declare never appears in a real answer; this
 * makes a plain JSON-schema validator report it instead of passing it.
 */
export function withUnknownFieldsRejected(schema: CrdSchema): CrdSchema {
  const closed: CrdSchema = { ...schema };
  if (schema.properties) {
    closed.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [
        key,
        withUnknownFieldsRejected(value),
      ]),
    );
    if (
      schema.additionalProperties === undefined &&
      !schema['x-kubernetes-preserve-unknown-fields']
    ) {
      closed.additionalProperties = false;
    }
  }
  if (schema.items) closed.items = withUnknownFieldsRejected(schema.items);
  if (
    schema.additionalProperties &&
    typeof schema.additionalProperties === 'object'
  ) {
    closed.additionalProperties = withUnknownFieldsRejected(
      schema.additionalProperties,
    );
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = schema[keyword] as CrdSchema[] | undefined;
    if (branches) closed[keyword] = branches.map(withUnknownFieldsRejected);
  }
  return closed;
}

/** RFC 3339 date-time, as Kubernetes' `date-time` format accepts it. */
const DATE_TIME =
  /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/;

/**
 * A strict ajv compiler for CRD schemas: it knows the Kubernetes
 * extensions the Application CRD uses (`x-kubernetes-*`) and its formats
 * (`int64`, `date-time`), so an unknown keyword or format still fails.
 */
export function compileCrdSchema(schema: CrdSchema): ValidateFunction {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    keywords: [
      'x-kubernetes-preserve-unknown-fields',
      'x-kubernetes-int-or-string',
      'x-kubernetes-list-type',
      'x-kubernetes-list-map-keys',
      'x-kubernetes-map-type',
      'x-kubernetes-embedded-resource',
      'x-kubernetes-validations',
    ],
    formats: {
      int32: {
        type: 'number',
        validate: n => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
      },
      int64: { type: 'number', validate: n => Number.isSafeInteger(n) },
      'date-time': DATE_TIME,
    },
  });
  return ajv.compile(schema);
}

/** "where: /instance/path: message" lines, one per ajv error. */
export function describeErrors(
  where: string,
  errors: ErrorObject[] | null | undefined,
): string[] {
  return (errors ?? []).map(error => {
    const at = error.instancePath || '/';
    const detail =
      error.keyword === 'additionalProperties'
        ? `${error.message} (${
            (error.params as { additionalProperty: string }).additionalProperty
          })`
        : error.message;
    return `${where}: ${at}: ${detail}`;
  });
}
