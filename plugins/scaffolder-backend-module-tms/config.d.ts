export interface Config {
  tms?: {
    scaffolder?: {
      /**
       * Hours a port reserved by `tms:catalog:allocate-port` stays taken
       * while its service is not in the catalog; 24 by default. A run that
       * failed before registering its service frees the port after this.
       */
      portReservationHours?: number;
      /** Where and how `tms:publish:local` creates Git repositories. */
      localPublish?: {
        /**
         * Folder that receives one repository per published service,
         * relative to the backend's working directory; defaults to
         * `scaffolded`. The portal's catalog reads `file:` URLs below it
         * and nowhere else.
         */
        directory?: string;
        /** Branch of each repository's first commit; `main` by default. */
        defaultBranch?: string;
        /** Author and committer of the first commit. */
        author?: {
          /** Defaults to `TMS Scaffolder`. */
          name?: string;
          /** Defaults to `scaffolder@tms.example.com`. */
          email?: string;
        };
      };
    };
  };
}
