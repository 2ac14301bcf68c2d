import { type INestApplication, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { routeTaking } from '../request-errors.js';
import { authenticate, isPublic } from './api-key.guard.js';
import type { ApiKey } from './api-keys.js';

/** Whether a request sends a body: a Content-Length above zero, or one in chunks. */
export const sendsBody = (request: Request): boolean =>
  Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;

/** A route as Express declares it: `get /health`, `_all /x`. */
const routeKey = (expressMethod: string, path: string): string => `${expressMethod} ${path}`;

const joinedPath = (...parts: string[]): string =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

const pathsOf = (target: object): string[] => [Reflect.getMetadata(PATH_METADATA, target) as string | string[]].flat();

/** The routes open without a key (`@Public()`, the key guard's own rule), keyed as Express declares them. */
const publicRoutes = (app: INestApplication): Set<string> => {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const routes = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as Type | null;
      if (!controller) continue;
      for (const name of scanner.getAllMethodNames(controller.prototype as object)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as () => unknown;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined || !isPublic(reflector, handler, controller)) continue;
        const expressMethod = method === RequestMethod.ALL ? '_all' : RequestMethod[method].toLowerCase();
        for (const controllerPath of pathsOf(controller)) {
          for (const handlerPath of pathsOf(handler))
            routes.add(routeKey(expressMethod, joinedPath(controllerPath, handlerPath)));
        }
      }
    }
  }
  return routes;
};

/**
 * With API_KEYS set, a request that sends a body to a route that needs a key is authenticated before
 * any body parser runs, by the key guard's own rules, and refused unread with the guard's answer: no
 * one without a key can make the api buffer and parse a body (up to MAX_SNAPSHOT_BYTES on /snapshots).
 * Requests without a body are left to the guard; routes open without a key stay open.
 */
export const keyBeforeBody = (app: INestApplication, apiKeys: readonly ApiKey[]) => {
  const open = publicRoutes(app);
  return (request: Request, response: Response, next: NextFunction): void => {
    if (apiKeys.length === 0 || !sendsBody(request)) return next();
    const route = routeTaking(request);
    if (route?.methods.some((method) => open.has(routeKey(method, route.path)))) return next();
    try {
      authenticate(request, apiKeys);
    } catch (error) {
      // The body is not read: close the connection rather than drain an upload that was refused.
      response.setHeader('connection', 'close');
      return next(error);
    }
    next();
  };
};
