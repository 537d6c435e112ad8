import { LoginAttempt } from '../database/ZeroTrustStore';

/** The weights of the risk factors, in points out of 100. */
export const RISK_WEIGHTS = {
  /** Per recent failed login of the user or from the address, up to 10. */
  failedAttempt: 3,
  blockedAddress: 40,
  newDevice: 15,
  newCountry: 15,
  impossibleTravel: 30,
  unusualHour: 10,
  noMfa: 15,
  sensitivity: { low: 0, medium: 5, high: 15, critical: 25 } as Record<
    string,
    number
  >,
};

/** Faster than an airliner between two logins is not one person travelling. */
export const IMPOSSIBLE_SPEED_KMH = 900;

/** An hour that holds less than this share of a user's logins is unusual. */
const UNUSUAL_HOUR_SHARE = 0.05;

/** Fewer successful logins than this are too little history to judge by. */
const MIN_HISTORY = 5;

export interface RiskFacts {
  nowMs: number;
  failedAttempts: number;
  blocked: boolean;
  mfa: boolean;
  deviceId?: string;
  country?: string;
  latitude?: number;
  longitude?: number;
  sensitivity?: string;
  /** The user's recent successful logins, newest first. */
  history: LoginAttempt[];
}

export interface RiskFactor {
  factor: string;
  points: number;
  detail: string;
}

export interface RiskAssessment {
  score: number;
  factors: RiskFactor[];
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance between two points, in kilometres. */
export function distanceKm(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
) {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) *
      Math.cos(b.latitude * rad) *
      Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The speed a user would have needed to get from their last located login
 * to here; undefined without two located points.
 */
export function travelSpeedKmh(facts: RiskFacts) {
  const last = facts.history.find(
    h => h.latitude !== undefined && h.longitude !== undefined,
  );
  if (!last || facts.latitude === undefined || facts.longitude === undefined) {
    return undefined;
  }
  const km = distanceKm(
    { latitude: last.latitude!, longitude: last.longitude! },
    { latitude: facts.latitude, longitude: facts.longitude },
  );
  // A minute's floor keeps two logins in one second from dividing by zero.
  const hours = Math.max(facts.nowMs - last.atMs, 60_000) / 3_600_000;
  return { km, speed: km / hours };
}

/** Scores a request's risk from 0 to 100, listing every factor that added. */
export function calculateRisk(facts: RiskFacts): RiskAssessment {
  const factors: RiskFactor[] = [];
  const add = (factor: string, points: number, detail: string) => {
    if (points > 0) {
      factors.push({ factor, points, detail });
    }
  };

  const failures = Math.min(facts.failedAttempts, 10);
  add(
    'failed_attempts',
    failures * RISK_WEIGHTS.failedAttempt,
    `${facts.failedAttempts} failed logins in the window`,
  );
  if (facts.blocked) {
    add('blocked_address', RISK_WEIGHTS.blockedAddress, 'address is blocked');
  }
  if (!facts.mfa) {
    add('no_mfa', RISK_WEIGHTS.noMfa, 'session without MFA');
  }

  const sensitivity = facts.sensitivity ?? 'low';
  add(
    'resource_sensitivity',
    RISK_WEIGHTS.sensitivity[sensitivity] ?? 0,
    `resource sensitivity ${sensitivity}`,
  );

  const { history } = facts;
  if (history.length >= MIN_HISTORY) {
    if (facts.deviceId && !history.some(h => h.deviceId === facts.deviceId)) {
      add('new_device', RISK_WEIGHTS.newDevice, `device '${facts.deviceId}'`);
    }
    if (facts.country && !history.some(h => h.country === facts.country)) {
      add('new_country', RISK_WEIGHTS.newCountry, `country '${facts.country}'`);
    }

    const hour = new Date(facts.nowMs).getUTCHours();
    const sameHour = history.filter(
      h => new Date(h.atMs).getUTCHours() === hour,
    ).length;
    if (sameHour / history.length < UNUSUAL_HOUR_SHARE) {
      add(
        'unusual_hour',
        RISK_WEIGHTS.unusualHour,
        `${sameHour} of ${history.length} logins at ${hour}:00 UTC`,
      );
    }
  }

  const travel = travelSpeedKmh(facts);
  if (travel && travel.speed > IMPOSSIBLE_SPEED_KMH) {
    add(
      'impossible_travel',
      RISK_WEIGHTS.impossibleTravel,
      `${Math.round(travel.km)} km at ${Math.round(travel.speed)} km/h`,
    );
  }

  const total = factors.reduce((sum, f) => sum + f.points, 0);
  return { score: Math.min(100, total), factors };
}
