import type { Request } from 'express';
import { DomainError } from '@app/domain';

/** A body the route cannot read as sent: another Content-Type than JSON, or JSON in another charset than UTF-8. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'request.unsupported-media-type';
  readonly kind = 'invalid' as const;
}

/** A body in a Content-Encoding the api does not undo (`compress`). */
export class UnsupportedContentEncodingError extends DomainError {
  readonly code = 'request.unsupported-content-encoding';
  readonly kind = 'invalid' as const;
}

/** A JSON body that is not an object (`null`, `"x"`, `[…]`): every JSON route takes an object. */
export class BodyNotAnObjectError extends DomainError {
  readonly code = 'request.body-not-an-object';
  readonly kind = 'invalid' as const;
}

/** A method the path does not have (`DELETE /changes`); `allowed` is what it has, for the `Allow` header. */
export class MethodNotAllowedError extends DomainError {
  readonly code = 'request.method-not-allowed';
  readonly kind = 'invalid' as const;
  constructor(
    method: string,
    path: string,
    readonly allowed: readonly string[],
  ) {
    super(`${path} does not take ${method}; it takes ${allowed.join(', ')}`, { method, allowed: [...allowed] });
  }
}

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  match(path: string): unknown;
}

/** A path the router could not decode (`%E0`) is its 400 to answer, not a route's. */
const matches = (layer: RouteLayer, path: string): boolean => {
  try {
    return Boolean(layer.match(path));
  } catch {
    return false;
  }
};

/**
 * The route of ours the router takes a request to, as Express picks it (the first whose path matches
 * and that has the method; HEAD goes to GET): its path and the methods it was declared with. Routes
 * with a wildcard path (middleware for every path, the catch-all) are passed over; null when no other takes it.
 */
export const routeTaking = (request: Request): { path: string; methods: string[] } | null => {
  const stack = (request.app.router as unknown as { stack: RouteLayer[] }).stack;
  const method = request.method.toLowerCase();
  for (const layer of stack) {
    const route = layer.route;
    if (!route || typeof route.path !== 'string' || route.path.includes('*') || !matches(layer, request.path)) continue;
    const { methods } = route;
    if (!methods['_all'] && !methods[method] && !(method === 'head' && methods['get'])) continue;
    return { path: route.path, methods: Object.keys(methods).filter((name) => methods[name]) };
  }
  return null;
};

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The methods the request's path has, from the application's routes (GET brings HEAD, as Express
 * answers it); none when no route has the path. A catch-all route (its path has a wildcard) matches
 * every path, so it says nothing of this one and is left out.
 */
export const allowedMethodsOf = (request: Request): string[] => {
  const stack = (request.app.router as unknown as { stack: RouteLayer[] }).stack;
  const allowed = new Set<string>();
  for (const layer of stack) {
    const route = layer.route;
    if (!route || typeof route.path !== 'string' || route.path.includes('*') || !matches(layer, request.path)) continue;
    for (const [method, handled] of Object.entries(route.methods)) {
      if (handled && method !== '_all') allowed.add(method.toUpperCase());
    }
  }
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].sort(
    (a, b) => (METHOD_ORDER.indexOf(a) + 1 || 99) - (METHOD_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
};
