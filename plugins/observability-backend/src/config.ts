import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** 64 MiB: the request limit the OTLP specification recommends. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

const DEFAULT_MAX_ROUTES_PER_SERVICE = 200;

const DEFAULT_RETENTION_DAYS = 7;

/** The only paths that config may open to callers without a token. */
const OPENABLE_PATHS = ['/health', '/metrics'];

export interface EngineConfig {
  maxBodyBytes: number;
  maxRoutesPerService: number;
  unauthenticatedPaths: string[];
  retentionDays: number;
}

/** Reads the `observability` section, with its defaults. */
export function readEngineConfig(config: Config): EngineConfig {
  const section = config.getOptionalConfig('observability');

  const maxBodyBytes =
    section?.getOptionalNumber('ingest.maxBodyBytes') ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new InputError(
      `observability.ingest.maxBodyBytes must be a positive integer, not ${maxBodyBytes}`,
    );
  }

  const unauthenticatedPaths = section?.getOptionalStringArray(
    'unauthenticatedPaths',
  ) ?? ['/health'];
  const closed = unauthenticatedPaths.find(p => !OPENABLE_PATHS.includes(p));
  if (closed) {
    throw new InputError(
      `observability.unauthenticatedPaths may name only ` +
        `${OPENABLE_PATHS.join(' and ')}, not '${closed}'`,
    );
  }

  const retentionDays =
    section?.getOptionalNumber('retention.days') ?? DEFAULT_RETENTION_DAYS;
  if (!(retentionDays > 0)) {
    throw new InputError(
      `observability.retention.days must be above 0, not ${retentionDays}`,
    );
  }

  return {
    maxBodyBytes,
    retentionDays,
    maxRoutesPerService:
      section?.getOptionalNumber('metrics.maxRoutesPerService') ??
      DEFAULT_MAX_ROUTES_PER_SERVICE,
    unauthenticatedPaths,
  };
}
