import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

// The API serves JSON only: nothing may be framed, loaded, cached or referred onward.
// A shared or seized device must not keep a copy of what a source sent or saw.

export const helmetOptions: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
};

export interface HeaderPlan {
  set: ReadonlyArray<readonly [name: string, value: string]>;
  remove: readonly string[];
}

/**
 * What helmet does to a response with the options above, read once by running its middleware
 * against a recorder. Every directive here is a constant, so helmet would write the same
 * values on every response: helmet stays the source of truth and a request only replays the
 * plan. Anything the plan cannot hold (a computed value, an error, an asynchronous step)
 * stops the process at start instead of weakening a header.
 */
export function headerPlan(): HeaderPlan {
  const set: Array<[string, string]> = [];
  const remove: string[] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      if (typeof value !== 'string') throw new Error(`helmet set ${name} to a non-string`);
      set.push([name, value]);
    },
    removeHeader(name: string) {
      remove.push(name);
    },
  };
  let done = false;
  helmet(helmetOptions)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (err?: unknown) => {
      if (err) throw err instanceof Error ? err : new Error('helmet failed');
      done = true;
    },
  );
  if (!done) throw new Error('helmet did not finish synchronously');
  set.push(['Cache-Control', 'no-store']);
  return { set, remove };
}

export function hardening(): RequestHandler[] {
  const { set, remove } = headerPlan();
  const apply: RequestHandler = (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of remove) res.removeHeader(name);
    next();
  };
  return [apply];
}
