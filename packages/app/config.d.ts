export interface Config {
  app?: {
    signIn?: {
      /**
       * Sign-in methods the sign-in page offers, in order: `guest` (local
       * development only) and `github`. Defaults to [guest].
       * @visibility frontend
       */
      providers?: Array<'guest' | 'github'>;
    };
  };
}
