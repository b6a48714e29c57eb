import type { ServerResponse } from 'node:http';

/**
 * What res.status(status).json(body) sends for a JSON object, without Express's send() and its
 * ETag, freshness and charset steps, none of which applies to an API answer here (ETags are off,
 * nothing is cached): the same status, Content-Type, Content-Length and bytes.
 */
export function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
