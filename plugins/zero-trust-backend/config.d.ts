export interface Config {
  zeroTrust?: {
    /**
     * The platform's policy file (YAML). Relative paths resolve against the
     * backend's working folder. A changed file becomes a new policy version
     * at start-up.
     */
    policiesFile?: string;
    /** How often a replica looks for a policy version stored elsewhere. Defaults to 2000. */
    policyRefreshMs?: number;
    /**
     * Addresses and CIDR ranges of the proxies in front of the engine's
     * callers; X-Forwarded-For is read from the right up to the first
     * address not in this list. Defaults to none: only the peer counts.
     */
    trustedProxies?: string[];
    /** Hours that login attempts and decisions are kept. Defaults to 24. */
    retentionHours?: number;
    detection?: {
      /** Length of every sliding window, in seconds. Defaults to 60. */
      windowSeconds?: number;
      /** Failed logins from one address that block it. Defaults to 20. */
      maxFailuresPerAddress?: number;
      /** Failed logins for one account that raise a threat. Defaults to 10. */
      maxFailuresPerUser?: number;
      /** Accounts failing from one address (credential stuffing). Defaults to 25. */
      maxUsersPerAddress?: number;
      /** Login attempts of any outcome from one address. Defaults to 120. */
      maxAttemptsPerAddress?: number;
    };
    blocks?: {
      /** Length of a first block, in seconds. Defaults to 900. */
      baseSeconds?: number;
      /** Each repeat offence multiplies the length by this. Defaults to 4. */
      growthFactor?: number;
      /** Longest block, in seconds. Defaults to 604800 (a week). */
      maxSeconds?: number;
      /** How stale a replica's block list may be, in ms. Defaults to 500. */
      cacheRefreshMs?: number;
    };
    sessions?: {
      /** Defaults to 1800. */
      idleTimeoutSeconds?: number;
      /** Defaults to 43200. */
      absoluteTimeoutSeconds?: number;
      /** Bound on how long a revocation elsewhere goes unseen, in ms. Defaults to 1000. */
      cacheTtlMs?: number;
    };
    decisions?: {
      /** How far back failed logins count towards risk. Defaults to 900. */
      failureWindowSeconds?: number;
      /** How long a replica reuses its snapshot of recent failed logins, in ms. Defaults to 1000. */
      factsCacheMs?: number;
      /** How long a replica reuses a user's login history, in ms. Defaults to 30000. */
      historyCacheMs?: number;
      /** Keep allow decisions for dry runs too. Defaults to true. */
      recordAllows?: boolean;
    };
    events?: {
      /**
       * Send auth.login.* events for reported logins too. Defaults to
       * false: auth-service logs its own logins, and the security
       * dashboard would count each one twice.
       */
      logins?: boolean;
      /** Send security.decision events for allows too. Defaults to true. */
      decisionAllows?: boolean;
    };
  };
}
