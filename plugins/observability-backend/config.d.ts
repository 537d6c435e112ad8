export interface Config {
  observability?: {
    ingest?: {
      /**
       * Service principals (for example `external:tms-services` for a
       * static token's subject, or `plugin:zero-trust`) that may send
       * telemetry. Not set: every service credential may.
       */
      allowedServices?: string[];
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
      /**
       * Spans, log records or metric data points in one export; an export
       * with more is answered 413 and nothing of it is stored. Defaults to
       * 100000.
       */
      maxItemsPerExport?: number;
      /**
       * Attributes of one span, log record or data point, and of its
       * resource, each counted on its own; an item with more is left out
       * and counted as rejected in OTLP's partial success. Defaults to 128.
       */
      maxAttributesPerItem?: number;
      /**
       * Characters of one attribute key or value (a value that is not text
       * counted as JSON); an item with a longer one is left out and counted
       * as rejected. Defaults to 4096.
       */
      maxAttributeValueLength?: number;
    };
    query?: {
      /**
       * Service principals that may read through the query routes. Not
       * set: every service credential may. Users may read either way.
       */
      allowedServices?: string[];
      /**
       * The largest `limit` a query may ask for, at most 1000 (the API's
       * own ceiling); a larger one is answered 400. Defaults to 1000.
       */
      maxPageSize?: number;
      /**
       * The longest window, from `from` to `to` (or to now), a query may
       * cover, in days; a longer one is answered 400. Defaults to 31.
       */
      maxWindowDays?: number;
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
    alerts?: {
      /**
       * How often rules and SLO burn rates are evaluated, as a duration
       * such as `1s` or `15s`. Defaults to `1s`.
       */
      evaluationInterval?: string;
      /**
       * How often open alerts are sent to Alertmanager again, so that it
       * does not time them out. Defaults to `1m`.
       */
      resendInterval?: string;
      /** Threshold rules on the series the engine derives. */
      rules?: Array<{
        /** 1 to 63 lower-case letters, digits and dashes. */
        id: string;
        series:
          | 'request_rate'
          | 'error_rate'
          | 'p95'
          | 'availability'
          | 'security_events'
          | 'business_kpi';
        /** For security_events: the log records' event name. */
        eventName?: string;
        /** For business_kpi: the KPI's name. */
        kpi?: string;
        /** The window the series is taken over, such as `5m`. */
        window: string;
        operator: '>' | '>=' | '<' | '<=';
        threshold: number;
        /** How long the condition must hold before the alert fires. */
        for?: string;
        severity: 'page' | 'ticket' | 'info';
        labels?: { [name: string]: string };
        scope?: { service?: string; region?: string; route?: string };
        summary?: string;
      }>;
      /** Alertmanager to push alerts to through its v2 API. */
      alertmanager?: {
        /** Base URL, such as http://localhost:9093; unset sends nothing. */
        url?: string;
      };
      /** Endpoints that get each firing and resolved alert as JSON. */
      webhooks?: Array<{ name: string; url: string }>;
      /**
       * Send Backstage notifications to the owner of the service's
       * Component. Defaults to true.
       */
      notifyOwners?: boolean;
    };
    slos?: {
      /** Targets of every service in every region. */
      defaults?: {
        /** Share of requests that succeed. Defaults to 0.999. */
        availability?: number;
        /** p95 request duration in ms. Defaults to 2000. */
        p95Ms?: number;
        /** Share of requests that may fail. Defaults to 0.01. */
        errorRate?: number;
        /** The rolling SLO period in days. Defaults to 30. */
        periodDays?: number;
      };
      /** Targets of one service, and of that service in one region. */
      services?: {
        [service: string]: {
          availability?: number;
          p95Ms?: number;
          errorRate?: number;
          periodDays?: number;
          regions?: {
            [region: string]: {
              availability?: number;
              p95Ms?: number;
              errorRate?: number;
              periodDays?: number;
            };
          };
        };
      };
      /** Raise the multi-window burn-rate alerts. Defaults to true. */
      burnRateAlerts?: boolean;
      /**
       * Requests (for a business KPI SLO, events) a burn-rate tier's long
       * window must hold before the tier can fire, so that one failure
       * among a handful of requests does not page. Defaults to 200.
       */
      minRequests?: number;
      /**
       * SLOs on business KPIs that are shares of good events, per service
       * and region. Replaces the default, safety-check compliance at 0.95
       * over 30 days; an empty list keeps none.
       */
      businessKpis?: Array<{
        /** safety_check_compliance, quiz_completion_rate or invoice_processing_rate. */
        kpi: string;
        /** The share of good events asked for, between 0 and 1. */
        objective: number;
        /** The rolling period in days. Defaults to 30. */
        periodDays?: number;
      }>;
      /**
       * How often windows longer than an hour (6h, 3d, the period) are
       * read again. Defaults to `1m`.
       */
      longWindowRefresh?: string;
    };
    /**
     * Paths that answer without a Backstage token: `/health` and
     * `/metrics` only. Defaults to ['/health'].
     */
    unauthenticatedPaths?: Array<'/health' | '/metrics'>;
  };
}
