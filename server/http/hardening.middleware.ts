import type { RequestHandler } from 'express';
import helmet from 'helmet';

// The API serves JSON only: nothing may be framed, loaded, cached or referred onward.
// A shared or seized device must not keep a copy of what a source sent or saw.

export function hardening(): RequestHandler[] {
  const noStore: RequestHandler = (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
  return [
    helmet({
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
    }),
    noStore,
  ];
}
