import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
/** Response bodies in tests are checked by assertions, not by the type system. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const json = (response: Response): Promise<Json> => response.json() as Promise<Json>;

/** Starts `app` listening on a free loopback port; its base URL (`http://127.0.0.1:<port>`). */
export const listenOnLoopback = async (app: INestApplication): Promise<string> => {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
};
