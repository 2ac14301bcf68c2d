import { connect } from 'node:net';
import getPort from 'get-port';

/** Whether something accepts TCP connections on host:port within `timeoutMs`. */
export const answers = (host: string, port: number, timeoutMs = 1000): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

/** A loopback port nothing listens on now (get-port also keeps ports it handed out in this process apart). */
export const freeLoopbackPort = (): Promise<number> => getPort({ host: '127.0.0.1' });
