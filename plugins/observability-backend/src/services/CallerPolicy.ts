import {
  BackstageCredentials,
  BackstagePrincipalTypes,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';

/** What a caller wants to do: send telemetry, or read what is stored. */
export type CallerPurpose = 'ingest' | 'read';

/**
 * Which service credentials may ingest and which may read. Backstage checks
 * that a token is valid; this decides what a valid service token is for, so
 * that the exporters' token cannot read and a reader's token cannot write.
 * A list that is not configured lets every service through, as in the
 * portal, where the callers are the portal's own plugins.
 */
export class CallerPolicy {
  static create(options: {
    ingestServices?: string[];
    readServices?: string[];
  }) {
    return new CallerPolicy({
      ingest: options.ingestServices,
      read: options.readServices,
    });
  }

  private constructor(
    private readonly allowed: Record<CallerPurpose, string[] | undefined>,
  ) {}

  check(
    credentials: BackstageCredentials<
      BackstagePrincipalTypes['user'] | BackstagePrincipalTypes['service']
    >,
    purpose: CallerPurpose,
  ) {
    const allowed = this.allowed[purpose];
    if (credentials.principal.type !== 'service' || allowed === undefined) {
      return;
    }

    const { subject } = credentials.principal;
    if (!allowed.includes(subject)) {
      throw new NotAllowedError(
        `The service '${subject}' may not ${
          purpose === 'ingest' ? 'send telemetry' : 'read telemetry'
        }; ` +
          `observability.${
            purpose === 'ingest' ? 'ingest' : 'query'
          }.allowedServices names who may`,
      );
    }
  }
}
