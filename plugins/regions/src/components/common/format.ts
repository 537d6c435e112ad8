export function formatRps(perSecond: number): string {
  return `${perSecond.toFixed(perSecond < 10 ? 2 : 1)} req/s`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

export function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}
