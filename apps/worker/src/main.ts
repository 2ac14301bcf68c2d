import { startOrExit } from '@app/infrastructure';
import { createWorkerApp } from './create-worker-app.js';

await startOrExit('worker', createWorkerApp);
process.stdout.write('trialwatch worker started\n');
