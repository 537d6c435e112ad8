export interface Config {
  observability?: {
    ingest?: {
      /**
       * Largest OTLP request body in bytes, checked on the body as sent and
       * again after decompression. Defaults to 67108864 (64 MiB).
       */
      maxBodyBytes?: number;
      /**
       * OTLP exports worked on at once; one more is answered 429 with
       * Retry-After before its body is read. Defaults to 32.
       */
      maxConcurrentRequests?: number;
      /**
       * Bytes of OTLP export bodies in hand at once, counted by their
       * Content-Length (maxBodyBytes when not sent); an export that would
       * pass it is answered 429. At least maxBodyBytes; defaults to four
       * times the default maxBodyBytes (256 MiB).
       */
      maxInFlightBytes?: number;
      /** The Retry-After of a 429, in seconds. Defaults to 1. */
      retryAfterSeconds?: number;
    };
    metrics?: {
      /**
       * Routes per service that get series of their own on /metrics; the
       * rest share the route label `__other__`. Defaults to 200.
       */
      maxRoutesPerService?: number;
    };
    retention?: {
      /**
       * Days that spans, log records and metric points are kept; older ones are deleted
       * every hour. Defaults to 7.
       */
      days?: number;
    };
    /**
     * Paths that answer without a Backstage token: `/health` and
     * `/metrics` only. Defaults to ['/health'].
     */
    unauthenticatedPaths?: Array<'/health' | '/metrics'>;
  };
}
