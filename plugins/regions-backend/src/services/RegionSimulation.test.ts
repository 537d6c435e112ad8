import { ConfigReader } from '@backstage/config';
import { RegionSimulation } from './RegionSimulation';

describe('RegionSimulation', () => {
  it("takes us-east-1 down in the fourth fifth of the traffic generator's cycle only", () => {
    const simulation = RegionSimulation.fromConfig(
      new ConfigReader({
        observability: {
          trafficGenerator: { enabled: true, cycleMinutes: 10 },
        },
      }),
      0,
    );
    const minute = 60_000;

    const at = (ms: number) =>
      ['eu-west-1', 'us-east-1', 'ap-southeast-1'].map(
        r => simulation.health(r, ms).httpStatus,
      );

    expect(at(0)).toEqual([200, 200, 200]);
    expect(at(6 * minute - 1)).toEqual([200, 200, 200]);
    expect(at(6 * minute)).toEqual([200, 503, 200]);
    expect(at(8 * minute - 1)).toEqual([200, 503, 200]);
    expect(at(8 * minute)).toEqual([200, 200, 200]);
    expect(at(16 * minute)).toEqual([200, 503, 200]);
  });

  it('keeps every region up when the traffic generator is off', () => {
    const simulation = RegionSimulation.fromConfig(new ConfigReader({}), 0);

    expect(simulation.health('us-east-1', 7 * 60_000).status).toBe('ok');
  });
});
