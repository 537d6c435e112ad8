export interface Config {
  observability?: {
    ingest?: {
      /**
       * Largest OTLP request body in bytes, checked on the body as sent and
       * again after decompression. Defaults to 67108864 (64 MiB).
       */
      maxBodyBytes?: number;
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
       * Days that spans and log records are kept; older ones are deleted
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
