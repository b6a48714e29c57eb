import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64, signChallenge, toBase64, type ReviewerKeys } from '../crypto';
import { createApiClient } from './api-client';
import { ConsoleError } from './errors';
import { soriHome } from './keystore';

// The bearer token of the last login, cached so each command does not need a new signature.
// Mode 0600 in a 0700 directory: the token opens the reviewer's session until it expires.

export interface Reviewer {
  id: string;
  name: string;
  role: 'admin' | 'reviewer';
}

export interface Session {
  server: string;
  token: string;
  expiresAt: string;
  reviewer: Reviewer;
}

/** A session this close to expiry is not used: the command could outlive it. */
const MARGIN_MS = 15_000;

export const sessionPath = (): string => join(soriHome(), 'session.json');

export function loadSession(server: string): Session | null {
  let s: Session;
  try {
    s = JSON.parse(readFileSync(sessionPath(), 'utf8')) as Session;
  } catch {
    return null;
  }
  if (s?.server !== server || typeof s.token !== 'string') return null;
  if (!(Date.parse(s.expiresAt) > Date.now() + MARGIN_MS)) return null;
  return s;
}

export function saveSession(s: Session): void {
  mkdirSync(soriHome(), { recursive: true, mode: 0o700 });
  const path = sessionPath();
  writeFileSync(path, JSON.stringify(s, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600); // writeFileSync keeps the mode of a file that already existed
}

export function clearSession(): void {
  rmSync(sessionPath(), { force: true });
}

/** Challenge → Ed25519 signature over (context || nonce) → short-lived bearer token. */
export async function login(
  server: string,
  keys: ReviewerKeys,
  opts: { persist?: boolean } = {},
): Promise<Session> {
  const api = createApiClient({ baseUrl: server });
  const signPublicKey = toBase64(keys.sign.publicKey);
  const challenge = await api.post<{ nonce: string }>('/v1/auth/challenge', { signPublicKey });
  if (typeof challenge?.nonce !== 'string')
    throw new ConsoleError('BAD_RESPONSE', 'The server sent no challenge');
  const signature = toBase64(signChallenge(fromBase64(challenge.nonce), keys.sign.secretKey));
  const s = await api.post<{ token: string; expiresAt: string; reviewer: Reviewer }>(
    '/v1/auth/session',
    {
      signPublicKey,
      nonce: challenge.nonce,
      signature,
    },
  );
  const session: Session = { server, token: s.token, expiresAt: s.expiresAt, reviewer: s.reviewer };
  // The desk keeps its token in memory only: it dies with the process or the lock.
  if (opts.persist !== false) saveSession(session);
  return session;
}
