import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { APP_CONFIG, type AppConfig, startOrExit } from '@app/infrastructure';
import { createApiApp } from './create-api-app.js';

const { config, address } = await startOrExit('api', async () => {
  const app = await createApiApp();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen(config.port, config.host);
  // PORT=0 asks the system for a free port: say the one it gave.
  return { config, address: (app.getHttpServer() as Server).address() as AddressInfo };
});
const access =
  config.apiKeys.length > 0
    ? 'API keys required'
    : config.apiOpen
      ? 'open without keys (API_OPEN=true)'
      : 'no API keys: loopback only';
process.stdout.write(
  `trialwatch api listening on ${config.host}:${address.port}, ${access} (${config.publicBaseUrl}, OpenAPI at ${config.publicBaseUrl}/docs)\n`,
);
