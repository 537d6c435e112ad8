export interface Config {
  observability?: {
    ingest?: {
      /**
       * Largest OTLP request body in bytes, checked on the body as sent and
       * again after decompression. Defaults to 67108864 (64 MiB).
       */
      maxBodyBytes?: number;
    };
  };
}
