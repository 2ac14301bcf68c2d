import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';

const decodedName = (name: string): string => {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
};

/**
 * A request URL as logged: an API key passed as ?api_key= is masked, however its name is spelled; the
 * api reads the name as URLSearchParams does (`?%61pi_key=` is `api_key`), so this does too.
 */
export const withoutSecrets = (url: string): string =>
  url.replace(/([?&])([^=&#]*)=([^&#]*)/g, (parameter: string, separator: string, name: string) =>
    decodedName(name).toLowerCase() === 'api_key' ? `${separator}${name}=[redacted]` : parameter,
  );

/** Structured JSON logs (pino); request logs carry no bodies and no secrets. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          autoLogging: { ignore: (request) => request.url === '/health' || request.url === '/metrics' },
          // Requests and responses are logged without headers: they carry keys, cookies and signatures.
          serializers: {
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
            req: (request: { method: string; url: string; id: unknown }) => ({
              id: request.id,
              method: request.method,
              url: withoutSecrets(request.url),
            }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
