export interface Config {
  tms?: {
    scaffolder?: {
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
