import { ConfigReader } from '@backstage/config';
import { readEngineConfig } from './config';

describe('readEngineConfig', () => {
  it('has defaults for everything', () => {
    expect(readEngineConfig(new ConfigReader({}))).toEqual({
      maxBodyBytes: 67108864,
      maxRoutesPerService: 200,
      unauthenticatedPaths: ['/health'],
      retentionDays: 7,
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
});
