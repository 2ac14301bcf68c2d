import { spawn } from 'node:child_process';

/**
 * A Node.js HTTP server with no framework and no database, in a process of its own, answering every
 * request with the same body: the floor of a request's latency on this machine, for the same client.
 */
export const startBareHttpServer = async (bodyBytes: number): Promise<{ url: string; stop: () => Promise<void> }> => {
  const script = `
    const body = Buffer.alloc(${bodyBytes}, 'x');
    require('node:http')
      .createServer((request, response) => {
        request.resume();
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        response.end(body);
      })
      .listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /port (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the bare HTTP server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
};
