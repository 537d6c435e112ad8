import { mockServices } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { createAlertsRouter } from '../alertsRouter';

/** Every route of the alerts router, as `METHOD /path/{param}`. */
function routesOf(router: any): string[] {
  return router.stack
    .filter((layer: any) => layer.route)
    .flatMap((layer: any) =>
      Object.keys(layer.route.methods).map(
        method =>
          `${method.toUpperCase()} ${layer.route.path.replace(
            /:(\w+)/g,
            '{$1}',
          )}`,
      ),
    )
    .sort();
}

describe('alerts.openapi.yaml', () => {
  it('describes exactly the routes the alerts router serves', () => {
    const document = parse(
      readFileSync(resolve(__dirname, 'alerts.openapi.yaml'), 'utf8'),
    );
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]: [string, any]) =>
        Object.keys(item)
          .filter(key => ['get', 'post', 'put', 'delete'].includes(key))
          .map(method => `${method.toUpperCase()} ${path}`),
      )
      .sort();

    const router = createAlertsRouter({
      httpAuth: mockServices.httpAuth(),
      alerts: {} as any,
      slos: {} as any,
    });
    expect(documented).toEqual(routesOf(router));
  });
});
