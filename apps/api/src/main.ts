import { APP_CONFIG, type AppConfig } from '@app/infrastructure';
import { createApiApp } from './create-api-app.js';

const app = await createApiApp();
const config = app.get<AppConfig>(APP_CONFIG);
await app.listen(config.port, '0.0.0.0');
process.stdout.write(`trialwatch api listening on ${config.publicBaseUrl} (OpenAPI at ${config.publicBaseUrl}/docs)\n`);
