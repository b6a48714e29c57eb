import { formatPowHeader, fromBase64, solvePow } from '../crypto/portable';

// The public API as the page script sees it: same origin, JSON in bodies, never in URLs.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`${status} ${code}`);
  }
}

async function send<T>(
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? extra : { 'content-type': 'application/json', ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const code = (json as { error?: { code?: unknown } } | null)?.error?.code;
    throw new ApiError(res.status, typeof code === 'string' ? code : 'HTTP_ERROR');
  }
  return json as T;
}

export interface IntakeKey {
  id: string;
  publicKey: string;
  fingerprint: string;
}

export interface SubmissionSummary {
  id: string;
  status: string;
  receivedOn?: string;
}

export interface SealedReply {
  id: string;
  sealed: string;
  createdOn: string;
}

/**
 * A solved proof-of-work header for one POST (challenges are spent once), or none when the
 * server does not ask for one (GET /v1/pow is absent: 404). Also used by upload.ts for the
 * tus creation POST.
 */
export async function powHeader(): Promise<Record<string, string>> {
  let issued: { challenge: string; mac: string };
  try {
    issued = await send('GET', '/v1/pow');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return {};
    throw err;
  }
  const challenge = fromBase64(issued.challenge);
  const nonce = await solvePow(challenge);
  return { 'Sori-Pow': formatPowHeader({ challenge, mac: fromBase64(issued.mac), nonce }) };
}

export const getIntakeKey = (): Promise<IntakeKey> => send('GET', '/v1/intake-key');

export const postSubmission = async (envelope: unknown): Promise<{ id: string }> =>
  send('POST', '/v1/submissions', envelope, await powHeader());

export const postStatus = async (
  sourceToken: string,
): Promise<{ submissions: SubmissionSummary[] }> =>
  send('POST', '/v1/submissions/status', { sourceToken }, await powHeader());

export const postReplies = async (sourceToken: string): Promise<{ replies: SealedReply[] }> =>
  send('POST', '/v1/replies', { sourceToken }, await powHeader());
