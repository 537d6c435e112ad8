import { conditionsAt } from './scenarios';

const MINUTE = 60_000;

describe('conditionsAt', () => {
  it('takes turns within a cycle', () => {
    const at = (minute: number) =>
      conditionsAt({
        scenarios: ['steady', 'brute-force', 'regional-outage'],
        cycleMinutes: 10,
        startedAtMs: 0,
        nowMs: minute * MINUTE,
      });

    expect(at(0)).toEqual({ bruteForce: false, regionsDown: [] });
    expect(at(3)).toEqual({ bruteForce: true, regionsDown: [] });
    expect(at(7)).toEqual({ bruteForce: false, regionsDown: ['us-east-1'] });
    expect(at(13)).toEqual({ bruteForce: true, regionsDown: [] });
  });

  it('holds every listed scenario all the time without a cycle', () => {
    expect(
      conditionsAt({
        scenarios: ['regional-outage'],
        startedAtMs: 0,
        nowMs: 3 * MINUTE,
      }),
    ).toEqual({ bruteForce: false, regionsDown: ['us-east-1'] });
  });
});
