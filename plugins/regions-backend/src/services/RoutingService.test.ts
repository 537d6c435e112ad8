import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testRegion } from '../__testUtils__/regions';
import { RoutingService } from './RoutingService';

const region = (id: string, failover: string[]) => testRegion(id, failover);

describe('RoutingService', () => {
  it('picks up a changed file, and keeps the last good table when the file breaks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regions-routing-'));
    const file = path.join(dir, 'nginx.conf');
    fs.writeFileSync(
      file,
      'http { geo $closest_region { default a; 10.0.0.0/8 b; } }',
    );
    const logger = mockServices.logger.mock();
    const routing = RoutingService.create({
      configPath: file,
      variable: 'closest_region',
      regions: [region('a', ['b']), region('b', ['a'])],
      health: { states: async () => new Map() },
      logger,
    });

    expect((await routing.route('10.1.1.1')).region).toBe('b');

    expect(routing.reloadIfChanged()).toBe(false);

    fs.writeFileSync(
      file,
      'http { geo $closest_region { default a; 10.0.0.0/8 a;   } }',
    );
    expect(routing.reloadIfChanged()).toBe(true);
    expect((await routing.route('10.1.1.1')).region).toBe('a');

    fs.writeFileSync(
      file,
      'http { geo $closest_region { default a; 10.0.0.0/33 b; } }',
    );
    expect(routing.reload()).toBe(false);
    expect((await routing.route('10.1.1.1')).region).toBe('a');
    expect(logger.error).toHaveBeenCalledWith(
      'nginx configuration reload failed; keeping the last good one',
      expect.objectContaining({
        error: expect.stringContaining('invalid network "10.0.0.0/33"'),
      }),
    );
  });

  it('says when nginx names a region that is not configured', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regions-routing-'));
    const file = path.join(dir, 'nginx.conf');
    fs.writeFileSync(file, 'http { geo $closest_region { default mars-1; } }');
    const routing = RoutingService.create({
      configPath: file,
      variable: 'closest_region',
      regions: [region('a', [])],
      health: { states: async () => new Map() },
      logger: mockServices.logger.mock(),
    });

    expect(await routing.route('192.0.2.1')).toMatchObject({
      region: null,
      reason: "nginx answers 'mars-1', which is not a configured region",
    });
  });
});
