import { formatPowHeader, fromBase64, solvePow } from '../crypto';
import type { ApiClient } from './api-client';
import { isApiError } from './errors';

// The intake API may demand a proof of work (POW_REQUIRED in production). The console sends
// without one first, and on any POW_* refusal fetches a challenge, solves it and resends: a
// spent or expired solution (a resend after a lost answer) simply gets a fresh one.

const POW_CODES = ['POW_REQUIRED', 'POW_INVALID', 'POW_EXPIRED', 'POW_REPLAYED'];
const MAX_SOLVES = 3;

export async function solvedPowHeader(api: ApiClient): Promise<Record<string, string>> {
  const issued = await api.get<{ challenge: string; mac: string }>('/v1/pow');
  const challenge = fromBase64(issued.challenge);
  const nonce = await solvePow(challenge);
  return { 'sori-pow': formatPowHeader({ challenge, mac: fromBase64(issued.mac), nonce }) };
}

/**
 * For a request that cannot be resent with other headers by us (the tus creation POST, sent by
 * tus-js-client): a solved header up front, or none when the server does not issue challenges
 * (GET /v1/pow is absent: 404). Each call solves a fresh challenge; a solution is spent once.
 */
export async function powHeaderIfAsked(api: ApiClient): Promise<Record<string, string>> {
  try {
    return await solvedPowHeader(api);
  } catch (err) {
    if (isApiError(err) && err.status === 404) return {};
    throw err;
  }
}

/** Calls `send`, adding a solved Sori-Pow header when the server asks for one. */
export async function withPow<T>(
  api: ApiClient,
  send: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  let headers: Record<string, string> = {};
  for (let solves = 0; ; solves++) {
    try {
      return await send(headers);
    } catch (err) {
      if (solves >= MAX_SOLVES || !POW_CODES.some((code) => isApiError(err, code))) throw err;
      headers = await solvedPowHeader(api);
    }
  }
}
