import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const PORT_ANNOTATION = 'tms.example.com/port';
const PUBLIC_HOST_ANNOTATION = 'tms.example.com/public-host';
const NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';

/** A TMS service as the catalog describes it. */
export type TmsService = {
  name: string;
  namespace: string;
  port: number;
  /** The gateway host it answers on, for the two public services. */
  publicHost?: string;
  /** Components that depend on it or consume an API it provides. */
  callers: string[];
};

function readComponents(componentsDir: string): Entity[] {
  return readdirSync(componentsDir)
    .filter(file => file.endsWith('.yaml'))
    .sort()
    .flatMap(file =>
      parseAllDocuments(readFileSync(join(componentsDir, file), 'utf8')).map(
        document => document.toJSON() as Entity,
      ),
    )
    .filter(entity => entity.kind === 'Component');
}

function componentRefs(value: unknown, kind: string): string[] {
  return ((value ?? []) as string[])
    .map(ref => parseEntityRef(ref))
    .filter(ref => ref.kind.toLocaleLowerCase('en-US') === kind)
    .map(ref => ref.name);
}

/**
 * The services of catalog/components/, with the callers each must let in:
 * who depends on it and who consumes an API it provides.
 */
export function readTmsServices(componentsDir: string): TmsService[] {
  const components = readComponents(componentsDir);

  return components.map(component => {
    const { name, annotations = {} } = component.metadata;
    const port = Number(annotations[PORT_ANNOTATION]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new InputError(
        `Component '${name}' has no valid ${PORT_ANNOTATION} annotation, got '${annotations[PORT_ANNOTATION]}'`,
      );
    }

    const provided = componentRefs(component.spec?.providesApis, 'api');
    const callers = components
      .filter(
        other =>
          other !== component &&
          (componentRefs(other.spec?.dependsOn, 'component').includes(name) ||
            componentRefs(other.spec?.consumesApis, 'api').some(api =>
              provided.includes(api),
            )),
      )
      .map(other => other.metadata.name)
      .sort();

    return {
      name,
      namespace: annotations[NAMESPACE_ANNOTATION] ?? 'tms',
      port,
      publicHost: annotations[PUBLIC_HOST_ANNOTATION],
      callers,
    };
  });
}
