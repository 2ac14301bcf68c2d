import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '../metrics/metrics.js';

/**
 * Times every request into `trialwatch_http_request_duration_seconds`. Installed first, so the time
 * covers the other middleware, guards, the handler and serialization; observed when the response
 * finishes (or the client goes away first). The route label is the matched route's template, read
 * once routing is done (security-operations.e2e-spec.ts: "times the api's requests by route template").
 */
export const requestDurations =
  (metrics: Metrics) =>
  (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let observed = false;
    const observe = () => {
      if (observed) return;
      observed = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const template = (request.route as { path?: unknown } | undefined)?.path;
      // No route of ours has a wildcard: one (Nest's catch-all `{/*splat}`) means no route matched.
      const route =
        typeof template === 'string' && !template.includes('*') ? `${request.baseUrl}${template}` : 'unmatched';
      metrics.httpRequestDuration.observe(
        { method: request.method, route, status: String(response.statusCode) },
        seconds,
      );
    };
    response.once('finish', observe);
    response.once('close', observe);
    next();
  };
