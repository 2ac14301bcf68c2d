import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';

/** A request URL as logged: an API key passed as ?api_key= is masked. */
export const withoutSecrets = (url: string): string => url.replace(/([?&]api_key=)[^&]*/gi, '$1[redacted]');

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
