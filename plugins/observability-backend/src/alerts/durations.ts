import { InputError } from '@backstage/errors';

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Reads a duration written as a whole number and a unit (`30s`, `5m`,
 * `1h`, `3d`), the form Prometheus rules use. `field` names the offending
 * setting in the error.
 */
export function parseDuration(text: string, field: string): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) {
    throw new InputError(
      `Invalid ${field}: expected a duration such as 30s, 5m, 1h or 3d, got '${text}'`,
    );
  }
  return Number(match[1]) * UNIT_MS[match[2]];
}

/** Writes milliseconds back in the largest unit that divides them. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    if (ms % UNIT_MS[unit] === 0 && ms >= UNIT_MS[unit]) {
      return `${ms / UNIT_MS[unit]}${unit}`;
    }
  }
  return `${ms / 1000}s`;
}
