import { Entity } from '@backstage/catalog-model';

/** The catalog annotation that holds a TMS service's container port. */
export const PORT_ANNOTATION = 'tms.example.com/port';

/** TMS services take ports from here upwards (api-gateway has 8000). */
export const FIRST_SERVICE_PORT = 8000;

/**
 * The ports the catalog's components claim, each with its component.
 *
 * @internal
 */
export function claimedPorts(entities: Entity[]): Map<number, string> {
  const claimed = new Map<number, string>();

  for (const entity of entities) {
    const port = Number(entity.metadata.annotations?.[PORT_ANNOTATION]);
    if (Number.isInteger(port)) {
      claimed.set(port, entity.metadata.name);
    }
  }
  return claimed;
}
