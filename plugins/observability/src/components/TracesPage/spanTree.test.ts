import { span, T0 } from '../../testing/fixtures';
import { buildWaterfall } from './spanTree';
import { filterTraces, numberParam } from './filterTraces';
import { TRACES } from '../../testing/fixtures';

describe('buildWaterfall', () => {
  it('nests spans under their parents, siblings by start time', () => {
    const waterfall = buildWaterfall([
      span('c', { parentSpanId: 'a', startMs: T0 + 50, endMs: T0 + 60 }),
      span('a', { startMs: T0, endMs: T0 + 100 }),
      span('b', { parentSpanId: 'a', startMs: T0 + 10, endMs: T0 + 20 }),
      span('d', { parentSpanId: 'b', startMs: T0 + 12, endMs: T0 + 15 }),
    ]);

    expect(waterfall.rows.map(r => [r.span.spanId, r.depth])).toEqual([
      ['a', 0],
      ['b', 1],
      ['d', 2],
      ['c', 1],
    ]);
    expect(waterfall.totalMs).toBe(100);
    expect(waterfall.rows[3].offsetMs).toBe(50);
  });

  it('keeps a span whose parent is missing as a root, and survives a parent cycle', () => {
    const waterfall = buildWaterfall([
      span('orphan', { parentSpanId: 'gone', startMs: T0, endMs: T0 + 5 }),
      span('x', { parentSpanId: 'y', startMs: T0 + 1, endMs: T0 + 2 }),
      span('y', { parentSpanId: 'x', startMs: T0 + 2, endMs: T0 + 3 }),
    ]);

    expect(waterfall.rows.map(r => r.span.spanId).sort()).toEqual([
      'orphan',
      'x',
      'y',
    ]);
  });
});

describe('filterTraces', () => {
  it('filters by operation, duration and status', () => {
    expect(filterTraces(TRACES, { operation: 'INVOICES' })).toHaveLength(1);
    expect(filterTraces(TRACES, { minMs: 200 })[0].rootName).toBe(
      'POST /invoices',
    );
    expect(filterTraces(TRACES, { status: 'ok' })[0].rootName).toBe(
      'GET /quizzes',
    );
    expect(filterTraces(TRACES, {})).toHaveLength(2);
  });

  it('ignores a duration that is not a number', () => {
    expect(numberParam('abc')).toBeUndefined();
    expect(numberParam('-5')).toBeUndefined();
    expect(numberParam('250')).toBe(250);
  });
});
