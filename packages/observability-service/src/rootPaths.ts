import { NextFunction, Request, Response } from 'express';

/** Where the engine's routes live in a Backstage backend. */
export const ENGINE_BASE_PATH = '/api/observability';

/**
 * Serves the engine's routes at the root of the service too, as the TMS
 * observability service always has: `/health` is answered by
 * `/api/observability/health`. Backstage's own paths are left alone.
 */
export function engineAtRoot(req: Request, _res: Response, next: NextFunction) {
  if (!req.url.startsWith('/api/') && !req.url.startsWith('/.backstage/')) {
    req.url = `${ENGINE_BASE_PATH}${req.url}`;
  }
  next();
}
