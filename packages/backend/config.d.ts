export interface Config {
  permission?: {
    tms?: {
      /**
       * Entity reference of the group whose members may do everything in the
       * portal. Defaults to group:default/platform-team.
       */
      adminGroup?: string;
    };
  };
}
