import { ConfigReader } from '@backstage/config';
import { readEngineConfig } from './config';

describe('readEngineConfig', () => {
  it('has defaults for everything', () => {
    expect(readEngineConfig(new ConfigReader({}))).toEqual({
      maxBodyBytes: 67108864,
      maxConcurrentRequests: 32,
      maxInFlightBytes: 268435456,
      retryAfterSeconds: 1,
      maxRoutesPerService: 200,
      unauthenticatedPaths: ['/health'],
      retentionDays: 7,
      maxItemsPerExport: 100000,
      maxAttributesPerItem: 128,
      maxAttributeValueLength: 4096,
      maxPageSize: 1000,
      maxQueryWindowDays: 31,
    });
  });

  it('opens /metrics when asked', () => {
    const config = new ConfigReader({
      observability: { unauthenticatedPaths: ['/health', '/metrics'] },
    });

    expect(readEngineConfig(config).unauthenticatedPaths).toEqual([
      '/health',
      '/metrics',
    ]);
  });

  it('refuses to open a path with telemetry behind it', () => {
    const config = new ConfigReader({
      observability: { unauthenticatedPaths: ['/logs'] },
    });

    expect(() => readEngineConfig(config)).toThrow(
      "observability.unauthenticatedPaths may name only /health and /metrics, not '/logs'",
    );
  });

  it('refuses a body limit that is not a positive integer', () => {
    const config = new ConfigReader({
      observability: { ingest: { maxBodyBytes: -5 } },
    });

    expect(() => readEngineConfig(config)).toThrow(
      'observability.ingest.maxBodyBytes must be a positive integer, not -5',
    );
  });

  it('refuses an ingest limit that is not a positive integer', () => {
    const config = new ConfigReader({
      observability: { ingest: { maxConcurrentRequests: 0 } },
    });

    expect(() => readEngineConfig(config)).toThrow(
      'observability.ingest.maxConcurrentRequests must be a positive integer, not 0',
    );
  });

  it('raises the default bytes in flight to a larger body limit', () => {
    const config = new ConfigReader({
      observability: { ingest: { maxBodyBytes: 512 * 1024 * 1024 } },
    });

    expect(readEngineConfig(config).maxInFlightBytes).toBe(512 * 1024 * 1024);
  });
});
