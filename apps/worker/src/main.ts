import { createWorkerApp } from './create-worker-app.js';

await createWorkerApp();
process.stdout.write('trialwatch worker started\n');
