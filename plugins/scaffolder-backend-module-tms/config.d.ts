export interface Config {
  tms?: {
    scaffolder?: {
      /** Where `tms:publish:local` writes the repositories it creates. */
      localPublish?: {
        /**
         * Folder that receives one sub-folder per published repository,
         * relative to the backend's working directory; defaults to
         * `scaffolded`.
         */
        directory?: string;
      };
    };
  };
}
