export interface Config {
  observability?: {
    trafficGenerator?: {
      /**
       * Play the TMS services into the engine. Defaults to false;
       * app-config.yaml turns it on for the embedded default.
       */
      enabled?: boolean;
      /** Requests per second across all regions. Defaults to 20. */
      requestsPerSecond?: number;
      /** OTLP encoding of the exports. Defaults to protobuf. */
      encoding?: 'json' | 'protobuf';
      /**
       * Scenarios to play: steady, brute-force, regional-outage. Defaults
       * to all three, taking turns.
       */
      scenarios?: Array<'steady' | 'brute-force' | 'regional-outage'>;
      /** Length of one turn of the scenarios, in minutes. Defaults to 10. */
      cycleMinutes?: number;
    };
  };
}
