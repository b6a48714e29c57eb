import { initCrypto, memzero, type ReviewerKeys } from '../../crypto';
import { createApiClient, type ApiClient } from '../api-client';
import { isApiError } from '../errors';
import { openKeyFile } from '../keystore';
import { login, type Reviewer, type Session } from '../session';
import { DeskError } from './desk-error';

// What the desk holds while unlocked (secret keys, a session, decrypted records), in memory
// only; locking wipes the keys. The idle clock counts the page's requests, not its polling.

const STALE = ['SESSION_EXPIRED', 'SESSION_INVALID'];

export interface VaultOptions {
  server: string;
  keyPath: string;
  idleMs: number;
}

export class Vault {
  private keys: ReviewerKeys | null = null;
  private session: Session | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lockListeners: Array<() => void> = [];
  /** One unlock at a time; a lock while it logs in makes it wipe what it opened. */
  private unlocking: Promise<Reviewer> | null = null;
  private locks = 0;
  lastLockReason: 'idle' | 'asked' | null = null;

  constructor(private readonly opts: VaultOptions) {}

  get unlocked(): boolean {
    return this.keys !== null;
  }

  get idleMs(): number {
    return this.opts.idleMs;
  }

  get server(): string {
    return this.opts.server;
  }

  onLock(listener: () => void): void {
    this.lockListeners.push(listener);
  }

  async unlock(passphrase: string): Promise<Reviewer> {
    this.unlocking ??= this.open(passphrase, this.locks).finally(() => (this.unlocking = null));
    return this.unlocking;
  }

  private async open(passphrase: string, locksBefore: number): Promise<Reviewer> {
    await initCrypto();
    if (this.keys) return this.me();
    const keys = openKeyFile(this.opts.keyPath, passphrase);
    let session: Session;
    try {
      session = await login(this.opts.server, keys, { persist: false });
    } catch (err) {
      wipe(keys);
      throw err;
    }
    if (this.locks !== locksBefore) {
      wipe(keys);
      throw locked();
    }
    this.session = session;
    this.keys = keys;
    this.lastLockReason = null;
    this.touch();
    return this.session.reviewer;
  }

  lock(reason: 'idle' | 'asked'): void {
    this.locks += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.keys) return;
    wipe(this.keys);
    this.keys = null;
    const token = this.session?.token;
    this.session = null;
    this.lastLockReason = reason;
    for (const l of this.lockListeners) l();
    // Best effort: the token dies with its TTL anyway if the server cannot be reached now.
    if (token)
      void createApiClient({ baseUrl: this.opts.server, token })
        .delete('/v1/auth/session')
        .catch(() => undefined);
  }

  /** Restarts the idle clock; called for every request the reviewer makes. */
  touch(): void {
    if (!this.keys) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.lock('idle'), this.opts.idleMs);
    this.timer.unref();
  }

  me(): Reviewer {
    if (!this.session) throw locked();
    return this.session.reviewer;
  }

  requireKeys(): ReviewerKeys {
    if (!this.keys) throw locked();
    return this.keys;
  }

  token(): string {
    if (!this.session) throw locked();
    return this.session.token;
  }

  /** Runs a call that needs the bearer token itself (file downloads), logging in again once. */
  async withToken<T>(f: (token: string) => Promise<T>): Promise<T> {
    try {
      return await f(this.token());
    } catch (err) {
      if (!isApiError(err) || !STALE.includes(err.code)) throw err;
      this.session = await login(this.opts.server, this.requireKeys(), { persist: false });
      return f(this.token());
    }
  }

  /** A client whose calls log in again once if the server forgot the session (15 min TTL). */
  api(): ApiClient {
    const call = async <T>(f: (c: ApiClient) => Promise<T>): Promise<T> => {
      const client = createApiClient({ baseUrl: this.opts.server, token: this.token() });
      try {
        return await f(client);
      } catch (err) {
        if (!isApiError(err) || !STALE.includes(err.code)) throw err;
        this.session = await login(this.opts.server, this.requireKeys(), { persist: false });
        return f(createApiClient({ baseUrl: this.opts.server, token: this.token() }));
      }
    };
    return {
      baseUrl: this.opts.server,
      get: (path, query) => call((c) => c.get(path, query)),
      post: (path, body) => call((c) => c.post(path, body)),
      put: (path, body) => call((c) => c.put(path, body)),
      delete: (path) => call((c) => c.delete(path)),
    };
  }
}

function wipe(keys: ReviewerKeys): void {
  memzero(keys.box.secretKey);
  memzero(keys.sign.secretKey);
}

const locked = () => new DeskError('DESK_LOCKED', 423, 'The desk is locked: unlock it first');
