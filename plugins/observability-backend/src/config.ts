import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** 64 MiB: the request limit the OTLP specification recommends. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Exports worked on at once; more wait for a Retry-After. */
const DEFAULT_MAX_CONCURRENT_REQUESTS = 32;

/** Bytes of export bodies in hand at once: four bodies at the limit. */
const DEFAULT_MAX_IN_FLIGHT_BYTES = 4 * DEFAULT_MAX_BODY_BYTES;

const DEFAULT_RETRY_AFTER_SECONDS = 1;

const DEFAULT_MAX_ROUTES_PER_SERVICE = 200;

const DEFAULT_RETENTION_DAYS = 7;

/** Spans, log records or metric points in one export. */
const DEFAULT_MAX_ITEMS_PER_EXPORT = 100_000;

/** The OpenTelemetry SDKs' own default attribute count limit. */
const DEFAULT_MAX_ATTRIBUTES_PER_ITEM = 128;

const DEFAULT_MAX_ATTRIBUTE_VALUE_LENGTH = 4096;

/** The most rows a query page may ask for; the API's own ceiling. */
const MAX_PAGE_SIZE = 1000;

const DEFAULT_MAX_QUERY_WINDOW_DAYS = 31;

/** The only paths that config may open to callers without a token. */
const OPENABLE_PATHS = ['/health', '/metrics'];

export interface EngineConfig {
  maxBodyBytes: number;
  maxConcurrentRequests: number;
  maxInFlightBytes: number;
  retryAfterSeconds: number;
  maxRoutesPerService: number;
  unauthenticatedPaths: string[];
  retentionDays: number;
  /** Service subjects that may ingest; every service when not set. */
  ingestServices?: string[];
  /** Service subjects that may read; every service when not set. */
  readServices?: string[];
  maxItemsPerExport: number;
  maxAttributesPerItem: number;
  maxAttributeValueLength: number;
  maxPageSize: number;
  maxQueryWindowDays: number;
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

  const positiveInteger = (key: string, fallback: number) => {
    const value = section?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new InputError(
        `observability.${key} must be a positive integer, not ${value}`,
      );
    }
    return value;
  };
  const maxConcurrentRequests = positiveInteger(
    'ingest.maxConcurrentRequests',
    DEFAULT_MAX_CONCURRENT_REQUESTS,
  );
  const maxInFlightBytes = positiveInteger(
    'ingest.maxInFlightBytes',
    Math.max(DEFAULT_MAX_IN_FLIGHT_BYTES, maxBodyBytes),
  );
  // A body the engine accepts must fit in flight on its own.
  if (maxInFlightBytes < maxBodyBytes) {
    throw new InputError(
      `observability.ingest.maxInFlightBytes (${maxInFlightBytes}) must be ` +
        `at least observability.ingest.maxBodyBytes (${maxBodyBytes})`,
    );
  }
  const retryAfterSeconds = positiveInteger(
    'ingest.retryAfterSeconds',
    DEFAULT_RETRY_AFTER_SECONDS,
  );

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

  const maxPageSize = positiveInteger('query.maxPageSize', MAX_PAGE_SIZE);
  if (maxPageSize > MAX_PAGE_SIZE) {
    throw new InputError(
      `observability.query.maxPageSize must be at most ${MAX_PAGE_SIZE}, not ${maxPageSize}`,
    );
  }

  return {
    maxItemsPerExport: positiveInteger(
      'ingest.maxItemsPerExport',
      DEFAULT_MAX_ITEMS_PER_EXPORT,
    ),
    maxAttributesPerItem: positiveInteger(
      'ingest.maxAttributesPerItem',
      DEFAULT_MAX_ATTRIBUTES_PER_ITEM,
    ),
    maxAttributeValueLength: positiveInteger(
      'ingest.maxAttributeValueLength',
      DEFAULT_MAX_ATTRIBUTE_VALUE_LENGTH,
    ),
    maxPageSize,
    maxQueryWindowDays: positiveInteger(
      'query.maxWindowDays',
      DEFAULT_MAX_QUERY_WINDOW_DAYS,
    ),
    maxBodyBytes,
    maxConcurrentRequests,
    maxInFlightBytes,
    retryAfterSeconds,
    retentionDays,
    maxRoutesPerService:
      section?.getOptionalNumber('metrics.maxRoutesPerService') ??
      DEFAULT_MAX_ROUTES_PER_SERVICE,
    unauthenticatedPaths,
    ingestServices: section?.getOptionalStringArray('ingest.allowedServices'),
    readServices: section?.getOptionalStringArray('query.allowedServices'),
  };
}
