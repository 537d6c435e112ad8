import { Span } from '../../api';
import { nanosToMs } from '../common/format';

export interface WaterfallRow {
  span: Span;
  depth: number;
  /** From the trace's start to the span's start. */
  offsetMs: number;
  durationMs: number;
}

export interface Waterfall {
  rows: WaterfallRow[];
  startMs: number;
  totalMs: number;
}

/**
 * Orders spans depth-first under their parents, siblings by start time. A
 * span whose parent is not in the trace (not exported, or still on its way)
 * is shown as a root rather than dropped.
 */
export function buildWaterfall(spans: Span[]): Waterfall {
  const byId = new Map(spans.map(span => [span.spanId, span]));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];

  for (const span of spans) {
    const parent = span.parentSpanId;
    if (parent && parent !== span.spanId && byId.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(span);
      children.set(parent, list);
    } else {
      roots.push(span);
    }
  }

  const start = (span: Span) => nanosToMs(span.startTimeUnixNano);
  const byStart = (a: Span, b: Span) => start(a) - start(b);
  const startMs = Math.min(...spans.map(start));
  const endMs = Math.max(...spans.map(s => nanosToMs(s.endTimeUnixNano)));

  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  const visit = (span: Span, depth: number) => {
    // A parent cycle in bad data must not loop forever.
    if (seen.has(span.spanId)) {
      return;
    }
    seen.add(span.spanId);
    rows.push({
      span,
      depth,
      offsetMs: start(span) - startMs,
      durationMs: span.durationMs,
    });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) {
      visit(child, depth + 1);
    }
  };
  roots.sort(byStart).forEach(root => visit(root, 0));

  // Spans only reachable through a cycle still get a row.
  spans
    .filter(span => !seen.has(span.spanId))
    .sort(byStart)
    .forEach(span => visit(span, 0));

  return { rows, startMs, totalMs: Math.max(endMs - startMs, 0.001) };
}
