import { firstLoad } from './measures/first-load.js';

const result = await firstLoad(Number(process.argv[2] ?? 2000));
console.log(JSON.stringify(result, null, 2));
process.exit(0);
