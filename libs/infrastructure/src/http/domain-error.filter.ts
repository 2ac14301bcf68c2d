import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { type DomainErrorKind, isDomainError } from '@app/domain';
import { allowedMethodsOf, MethodNotAllowedError } from './request-errors.js';

export const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  'rate-limited': HttpStatus.TOO_MANY_REQUESTS,
};

/** Errors whose status says more than their kind's 400. */
const STATUS_BY_CODE: Record<string, number> = {
  'snapshot.too-large': HttpStatus.PAYLOAD_TOO_LARGE,
  'request.unsupported-media-type': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'request.unsupported-content-encoding': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'request.method-not-allowed': HttpStatus.METHOD_NOT_ALLOWED,
};

/** The HTTP status of a domain error. */
export const statusOf = (error: { code: string; kind: DomainErrorKind }): number =>
  STATUS_BY_CODE[error.code] ?? STATUS_BY_KIND[error.kind];

/**
 * What a request no route took is refused with: 405 when its path has other methods
 * (`DELETE /changes`), else the 404 as it came.
 */
export const unroutedError = (request: Request, notFound: unknown): unknown => {
  const allowed = allowedMethodsOf(request);
  return allowed.length > 0 ? new MethodNotAllowedError(request.method, request.path, allowed) : notFound;
};

/**
 * The one place errors become HTTP responses: `{ statusCode, error: { code, message, details } }`.
 * Domain errors map by kind; Nest's HTTP exceptions keep their status; anything else is a 500 that is logged.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorFilter.name);

  catch(caught: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    // Nest answers a request no route of ours took from its catch-all route (`{/*splat}`), with a NotFoundException.
    const routePath = (request.route as { path?: unknown } | undefined)?.path;
    const unrouted = typeof routePath !== 'string' || routePath.includes('*');
    const exception = caught instanceof NotFoundException && unrouted ? unroutedError(request, caught) : caught;
    if (response.headersSent) {
      // Too late for a status: the connection is broken off, so the client sees the answer incomplete.
      this.logger.error(
        `failed after the answer began: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
      );
      response.destroy();
      return;
    }
    // A route that answers in another format (an Atom feed, a download) set its own; errors are JSON.
    response.removeHeader('content-type');
    response.removeHeader('content-disposition');
    if (isDomainError(exception)) {
      const statusCode = statusOf(exception);
      // A dependency's own words (which may name internal addresses) go to the log, not to the client.
      if (exception.kind === 'unavailable' && exception.cause instanceof Error)
        this.logger.warn(`${exception.code}: ${exception.cause.message}`);
      const retryAfter = exception.details['retryAfterSeconds'];
      if (typeof retryAfter === 'number') response.setHeader('retry-after', String(retryAfter));
      if (exception.kind === 'unauthenticated') response.setHeader('www-authenticate', 'Bearer realm="trialwatch"');
      if (exception instanceof MethodNotAllowedError) response.setHeader('allow', exception.allowed.join(', '));
      response.status(statusCode).json({ statusCode, error: exception.toJSON() });
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() === HttpStatus.PAYLOAD_TOO_LARGE) {
      const isSnapshot = request.path.startsWith('/snapshots');
      response.status(HttpStatus.PAYLOAD_TOO_LARGE).json({
        statusCode: HttpStatus.PAYLOAD_TOO_LARGE,
        error: {
          code: isSnapshot ? 'snapshot.too-large' : 'request.too-large',
          message: isSnapshot
            ? 'The snapshot is larger than the limit (MAX_SNAPSHOT_BYTES); it was not stored'
            : 'The request body is larger than the limit',
          details: {},
        },
      });
      return;
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'string'
          ? body
          : Array.isArray((body as { message?: unknown }).message)
            ? (body as { message: string[] }).message.join('; ')
            : String((body as { message?: unknown }).message ?? exception.message);
      response.status(statusCode).json({
        statusCode,
        error: {
          code: `http.${HttpStatus[statusCode]?.toLowerCase().replace(/_/g, '-') ?? statusCode}`,
          message,
          details: {},
        },
      });
      return;
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(500).json({
      statusCode: 500,
      error: { code: 'internal', message: 'An unexpected error occurred; it has been logged', details: {} },
    });
  }
}
