export interface LoginReport {
  user: string;
  clientAddress: string;
  outcome: 'succeeded' | 'failed';
}

/** Reports sent at once at most; more are dropped rather than piled up. */
const MAX_IN_FLIGHT = 64;

/**
 * Plays auth-service's call to the zero-trust engine: each login attempt
 * the generator makes is reported to POST /logins, so that the engine's
 * threat detection sees the attack as it would in the platform. Reports
 * are fire-and-forget; a backend without the zero-trust plugin answers 404,
 * and the reporter then stops trying.
 */
export class LoginReporter {
  private readonly endpoint: () => Promise<string>;
  private readonly headers: () => Promise<Record<string, string>>;
  private readonly fetchFn: typeof fetch;
  private inFlight = 0;
  private absent = false;
  private counts = { sent: 0, failed: 0, dropped: 0 };

  constructor(options: {
    /** Base URL of the zero-trust engine's API. */
    endpoint: () => Promise<string>;
    /** Headers for every report, such as a service token. */
    headers: () => Promise<Record<string, string>>;
    fetch?: typeof fetch;
  }) {
    this.endpoint = options.endpoint;
    this.headers = options.headers;
    this.fetchFn = options.fetch ?? fetch;
  }

  get stats() {
    return { ...this.counts, engineAbsent: this.absent };
  }

  report(login: LoginReport) {
    if (this.absent) {
      return;
    }
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.counts.dropped += 1;
      return;
    }
    this.inFlight += 1;
    this.send(login)
      .catch(() => {
        this.counts.failed += 1;
      })
      .finally(() => {
        this.inFlight -= 1;
      });
  }

  private async send(login: LoginReport) {
    const response = await this.fetchFn(`${await this.endpoint()}/logins`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await this.headers()),
      },
      body: JSON.stringify(login),
    });
    if (response.status === 404) {
      this.absent = true;
      return;
    }
    if (!response.ok) {
      throw new Error(`zero-trust answered ${response.status}`);
    }
    this.counts.sent += 1;
  }
}
