import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { DomainError } from '@app/domain';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { allows, type ApiKey, findApiKey } from './api-keys.js';

export class ApiKeyMissingError extends DomainError {
  readonly code = 'auth.api-key-missing';
  readonly kind = 'unauthenticated' as const;
}

export class ApiKeyInvalidError extends DomainError {
  readonly code = 'auth.api-key-invalid';
  readonly kind = 'unauthenticated' as const;
}

export class ApiKeyScopeError extends DomainError {
  readonly code = 'auth.insufficient-scope';
  readonly kind = 'forbidden' as const;
}

const PUBLIC = Symbol('public');

/** The cookie that keeps a key given to the web pages as ?api_key=. */
export const API_KEY_COOKIE = 'trialwatch_api_key';

/** Marks a route (health checks, metrics) as open even when API keys are configured. */
export const Public = () => SetMetadata(PUBLIC, true);

/** Whether a handler is open without a key: it or its controller is marked `@Public()`. */
export const isPublic = (
  reflector: Reflector,
  handler: ReturnType<ExecutionContext['getHandler']>,
  controller: Type,
): boolean => reflector.getAllAndOverride<boolean | undefined>(PUBLIC, [handler, controller]) === true;

/** The key a request authenticated with, for rate limits and logs. */
export const apiKeyOf = (request: Request): ApiKey | undefined => (request as Request & { apiKey?: ApiKey }).apiKey;

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The key a request presents: `Authorization: Bearer`, else `X-API-Key`, else (when allowed) the web
 * pages' cookie. The cookie counts for reading only, so that a forged cross-site form can never write.
 */
export const presentedKey = (
  request: Pick<IncomingMessage, 'headers'>,
  { allowCookie }: { allowCookie: boolean },
): string | null => {
  const authorization = request.headers.authorization;
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim();
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  if (!allowCookie) return null;
  const cookie = (request.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${API_KEY_COOKIE}=`));
  return cookie ? decodedCookie(cookie.slice(API_KEY_COOKIE.length + 1)) : null;
};

/** A cookie value as set (percent-encoded); one that is not (cut short, set by another page) is taken as sent, a key no one has. */
const decodedCookie = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/**
 * Whether a request to an open route (health) may see what only key holders see: always without
 * API_KEYS; with them, when it presents a valid key of any scope. A key that is not valid is refused
 * (401), as on every other route, rather than silently answered as if none were sent.
 */
export const presentsReadKey = (request: Request, apiKeys: readonly ApiKey[]): boolean => {
  if (apiKeys.length === 0) return true;
  const presented = presentedKey(request, { allowCookie: false });
  if (!presented) return false;
  if (!findApiKey(apiKeys, presented)) throw new ApiKeyInvalidError('The API key is not valid');
  return true;
};

/**
 * The key a request to a route that needs one authenticates with, when API_KEYS is set: reads need any
 * key, writes an admin key. Throws the error to answer with otherwise.
 */
export const authenticate = (request: Request, apiKeys: readonly ApiKey[]): ApiKey => {
  const presented = presentedKey(request, { allowCookie: READ_METHODS.has(request.method) });
  if (!presented) {
    throw new ApiKeyMissingError(
      'An API key is required: send Authorization: Bearer <key> (or X-API-Key, or ?api_key=)',
    );
  }
  const key = findApiKey(apiKeys, presented);
  if (!key) throw new ApiKeyInvalidError('The API key is not valid');
  const needed = READ_METHODS.has(request.method) ? 'read' : 'admin';
  if (!allows(key, needed)) {
    throw new ApiKeyScopeError(`This request needs an admin key; "${key.name}" is a read key`, { key: key.name });
  }
  (request as Request & { apiKey?: ApiKey }).apiKey = key;
  return key;
};

/**
 * With API_KEYS set, every route needs a key (see `authenticate`). The key comes as
 * `Authorization: Bearer <key>` or `X-API-Key` (the api turns an `api_key` query parameter, for clients
 * that cannot send headers, into that header).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.config.apiKeys.length === 0) return true;
    if (isPublic(this.reflector, context.getHandler(), context.getClass())) return true;
    authenticate(context.switchToHttp().getRequest<Request>(), this.config.apiKeys);
    return true;
  }
}
