import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { hardening, headerPlan, helmetOptions } from '../../../server/http/hardening.middleware';

// The hardening middleware replays a plan read once from helmet instead of running helmet on
// every response. The plan must leave a response exactly as helmet (with the same options,
// then Cache-Control: no-store) would.

function response(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}

describe('hardening headers', () => {
  it('match what helmet itself sets, plus no-store', () => {
    const viaHelmet = response();
    viaHelmet.setHeader('X-Powered-By', 'Express');
    const plan = headerPlan();
    // The options are the middleware's own; the CSP they give is pinned here as well.
    const csp = plan.set.find(([name]) => name === 'Content-Security-Policy')?.[1];
    expect(csp).toBe(
      "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
    );
    helmet(helmetOptions)({} as IncomingMessage, viaHelmet, () => undefined);
    viaHelmet.setHeader('Cache-Control', 'no-store');

    const viaPlan = response();
    viaPlan.setHeader('X-Powered-By', 'Express');
    const [apply] = hardening();
    let nexted = false;
    apply!({} as never, viaPlan as never, () => (nexted = true));

    expect(nexted).toBe(true);
    expect(viaPlan.getHeaders()).toEqual(viaHelmet.getHeaders());
    expect(viaPlan.getHeader('x-powered-by')).toBeUndefined();
    expect(viaPlan.getHeader('referrer-policy')).toBe('no-referrer');
    expect(viaPlan.getHeader('x-frame-options')).toBe('DENY');
    expect(viaPlan.getHeader('cache-control')).toBe('no-store');
  });
});
