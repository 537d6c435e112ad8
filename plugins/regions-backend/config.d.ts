import { HumanDuration } from '@backstage/types';

export interface Config {
  regions: {
    /** The regions of the TMS platform. */
    list: Array<{
      /** Region id, as the nginx geo values and Argo CD labels name it. */
      id: string;
      title?: string;
      latitude: number;
      longitude: number;
      /** Defaults to secondary. */
      role?: 'primary' | 'secondary';
      /**
       * URLs probed for health; the only URLs the plugin probes. A path
       * (starting with /) is on this backend's baseUrl.
       */
      healthEndpoints: string[];
      /** The region's cluster in the kubernetes plugin's config. */
      kubernetesCluster: string;
      argocd?: {
        /** Base URL of the region's Argo CD (its REST API is under /api/v1). */
        url: string;
        /**
         * Argo CD API token for this instance.
         * @visibility secret
         */
        token?: string;
      };
      capacity: {
        /** Requests per second the region can serve. */
        requestsPerSecond: number;
      };
      /** Regions that take the clients over, in order. */
      failover?: string[];
      /** The catalog entity; defaults to resource:default/region-<id>. */
      entityRef?: string;
    }>;
    /** Order releases go through the regions; defaults to the list order. */
    rolloutOrder?: string[];
    nginx: {
      /** The load balancer's nginx.conf (the file nginx loads). */
      configPath: string;
      /** The variable that names the region; defaults to closest_region. */
      variable?: string;
      /** How often the file is re-read; defaults to 10 seconds. */
      reloadInterval?: HumanDuration | string;
    };
    probes?: {
      /** Defaults to 1 second. */
      interval?: HumanDuration | string;
      /** Per endpoint; must be shorter than the interval. Defaults to 750 ms. */
      timeout?: HumanDuration | string;
      /** Consecutive failed rounds that make a region down. Defaults to 2. */
      failuresToDown?: number;
      /** Consecutive good rounds that make it healthy again. Defaults to 3. */
      successesToHealthy?: number;
      /** Hours of probe history kept. Defaults to 24. */
      historyHours?: number;
    };
    /** Services whose request rate is a region's load. */
    entryServices?: string[];
    /** Which service serves each rate-limit zone of the nginx config. */
    apiServices?: { [zone: string]: string };
    simulation?: {
      /**
       * Serve simulated health endpoints under /api/regions/simulation that
       * follow the traffic generator's scenario. For the embedded default.
       */
      enabled?: boolean;
    };
  };
}
