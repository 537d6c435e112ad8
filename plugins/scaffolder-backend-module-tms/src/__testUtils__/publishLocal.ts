import { ConfigReader } from '@backstage/config';
import { createTmsPublishLocalAction } from '../actions/publish/createTmsPublishLocalAction';

/** tms:publish:local configured to publish into the given folder. */
export function publishLocalInto(directory: string) {
  return createTmsPublishLocalAction({
    config: new ConfigReader({
      tms: { scaffolder: { localPublish: { directory } } },
    }),
  });
}
