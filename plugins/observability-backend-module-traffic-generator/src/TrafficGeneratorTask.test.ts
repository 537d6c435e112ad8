import { ConfigReader } from '@backstage/config';
import { readTrafficSettings } from './TrafficGeneratorTask';

const section = (trafficGenerator: object) =>
  new ConfigReader({ observability: { trafficGenerator } });

describe('readTrafficSettings', () => {
  it('is off unless config turns it on', () => {
    expect(readTrafficSettings(new ConfigReader({}))).toBeUndefined();
    expect(readTrafficSettings(section({ enabled: false }))).toBeUndefined();
  });

  it('has defaults for everything else', () => {
    expect(readTrafficSettings(section({ enabled: true }))).toEqual({
      requestsPerSecond: 20,
      encoding: 'protobuf',
      scenarios: ['steady', 'brute-force', 'regional-outage'],
      cycleMinutes: 10,
    });
  });

  it.each([
    [
      { encoding: 'xml' },
      "observability.trafficGenerator.encoding must be json or protobuf, not 'xml'",
    ],
    [
      { scenarios: ['steady', 'earthquake'] },
      "observability.trafficGenerator.scenarios has no scenario 'earthquake'; choose from steady, brute-force, regional-outage",
    ],
    [
      { requestsPerSecond: 0 },
      'observability.trafficGenerator.requestsPerSecond must be above 0, not 0',
    ],
  ])('names bad setting %j in its error', (bad, message) => {
    expect(() =>
      readTrafficSettings(section({ enabled: true, ...bad })),
    ).toThrow(message);
  });
});
