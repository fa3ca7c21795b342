import { get } from 'node:http';

/** A GET on a fresh connection (fetch's pool would reuse a socket of a server closed before). */
export function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once('error', reject);
  });
}
