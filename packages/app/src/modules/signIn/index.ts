import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const tmsSignInPage = SignInPageBlueprint.make({
  params: {
    loader: () => import('./TmsSignInPage').then(m => m.TmsSignInPage),
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [tmsSignInPage],
});
