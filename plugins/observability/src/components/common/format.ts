import { AttributeValue } from '../../api';

/** Decimal nanoseconds since the epoch to milliseconds, without overflow. */
export function nanosToMs(nanos: string): number {
  if (!/^\d+$/.test(nanos)) {
    return NaN;
  }
  return Number(BigInt(nanos) / 1000n) / 1000;
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) {
    return '0 req/s';
  }
  if (perSecond < 0.1) {
    return `${(perSecond * 60).toFixed(1)} req/min`;
  }
  return `${perSecond.toFixed(perSecond < 10 ? 2 : 1)} req/s`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 2 : 1)}%`;
}

export function formatMs(ms: number): string {
  if (ms >= 1000) {
    return `${(ms / 1000).toFixed(2)} s`;
  }
  return `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Telemetry values as plain text; React escapes it when rendering, so a
 * value that looks like markup stays text.
 */
export function attributeText(value: AttributeValue): string {
  if (typeof value === 'string') {
    return value;
  }
  return JSON.stringify(value);
}

/** A length of time in its largest unit and the next, such as `1 h 5 min`. */
export function formatSeconds(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const total = Math.round(Math.abs(seconds));
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ];
  const first = units.findIndex(([, size]) => total >= size);
  if (first === -1) {
    return '0 s';
  }
  const [name, size] = units[first];
  const parts = [`${Math.floor(total / size)} ${name}`];
  const next = units[first + 1];
  if (next && Math.floor((total % size) / next[1]) > 0) {
    parts.push(`${Math.floor((total % size) / next[1])} ${next[0]}`);
  }
  return `${sign}${parts.join(' ')}`;
}
