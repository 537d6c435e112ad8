import { Entity } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { FIRST_SERVICE_PORT, claimedPorts } from '../servicePorts';
import { PortReservation, PortReservationStore } from './PortReservationStore';

/** How long a reservation blocks its port unless configured otherwise. */
export const DEFAULT_RESERVATION_HOURS = 24;

/**
 * Reinsertion attempts before giving up: each lost race means another run
 * took a port, so this bounds the runs allocating at the same moment.
 */
const MAX_ATTEMPTS = 50;

export type AllocatePortRequest = {
  /** The new service's name; a reservation names it. */
  service: string;
  /** The scaffolder task that asks. */
  taskId: string;
  /** The port the engineer asked for; the next free one when left out. */
  port?: number;
  /** Checks and proposes only: nothing is reserved. */
  dryRun?: boolean;
};

/**
 * Picks a new service's port from those that no catalog component claims
 * and no other run has reserved, and reserves it in the database so that
 * runs at the same time, on any replica, never get the same port.
 */
export class PortAllocator {
  private readonly reservationMs: number;

  constructor(
    private readonly store: PortReservationStore,
    options: { reservationHours?: number; now?: () => Date } = {},
  ) {
    this.reservationMs =
      (options.reservationHours ?? DEFAULT_RESERVATION_HOURS) * 3_600_000;
    this.now = options.now ?? (() => new Date());
  }

  private readonly now: () => Date;

  /**
   * Allocates a port given the catalog's components (with their names and
   * port annotations). Throws ConflictError for a requested port that a
   * component claims or another service has reserved.
   */
  async allocate(
    request: AllocatePortRequest,
    components: Entity[],
  ): Promise<number> {
    const claimed = claimedPorts(components);
    const inCatalog = new Set(components.map(e => e.metadata.name));

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = this.now();
      const reservations = await this.store.list();
      // A reservation stops counting once its service is in the catalog
      // (the component's annotation claims the port from then on) or when
      // its run is long over.
      const blocking = new Map(
        reservations
          .filter(
            r =>
              !inCatalog.has(r.service) &&
              now.getTime() - r.reservedAt.getTime() < this.reservationMs,
          )
          .map(r => [r.port, r]),
      );
      const taken = (port: number) => claimed.has(port) || blocking.has(port);
      const nextFree = () => {
        let port = FIRST_SERVICE_PORT;
        while (taken(port)) port += 1;
        return port;
      };

      let port: number;
      if (request.port !== undefined) {
        port = request.port;
        const component = claimed.get(port);
        if (component) {
          throw new ConflictError(
            `Port ${port} is taken by component '${component}'; the next free port is ${nextFree()}`,
          );
        }
        const holder = blocking.get(port);
        if (holder && holder.service !== request.service) {
          throw new ConflictError(
            `Port ${port} is reserved for service '${holder.service}' by task ${
              holder.taskId
            } since ${holder.reservedAt.toISOString()}; the next free port is ${nextFree()}`,
          );
        }
      } else {
        // A rerun for the same service gets the port it was given before.
        const own = [...blocking.values()].find(
          r => r.service === request.service && !claimed.has(r.port),
        );
        port = own?.port ?? nextFree();
      }

      if (request.dryRun) {
        return port;
      }
      const existing = reservations.find(r => r.port === port);
      const reservation: PortReservation = {
        port,
        service: request.service,
        taskId: request.taskId,
        reservedAt: now,
      };
      if (await this.store.reserve(reservation, existing)) {
        return port;
      }
      // Another run reserved the port between our read and our insert.
    }
    throw new ConflictError(
      `Could not reserve a port for '${request.service}' after ${MAX_ATTEMPTS} attempts; too many runs allocate at once`,
    );
  }
}
