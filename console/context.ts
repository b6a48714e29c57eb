import type { Command } from 'commander';
import { initCrypto, type ReviewerKeys } from '../crypto';
import { createApiClient, type ApiClient } from './api-client';
import { defaultKeyPath, unlockKeyFile } from './keystore';
import { isApiError } from './errors';
import { matchRecordPrefix, parseRecordId } from './record-id';
import { clearSession, loadSession, login, type Session } from './session';

const STALE = ['SESSION_EXPIRED', 'SESSION_INVALID'];

// What every command gets: the global options, the unlocked keys (asked for once, only when a
// command needs them) and an API client with a valid session (logging in when there is none).

export interface GlobalOptions {
  server: string;
  intake: string;
  key?: string;
  json?: boolean;
}

export class Context {
  readonly server: string;
  readonly intake: string;
  readonly keyPath: string;
  readonly json: boolean;
  private keys?: Promise<ReviewerKeys>;
  private session?: Promise<Session>;

  constructor(opts: GlobalOptions) {
    this.server = opts.server.replace(/\/+$/, '');
    this.intake = opts.intake.replace(/\/+$/, '');
    this.keyPath = opts.key ?? defaultKeyPath();
    this.json = opts.json === true;
  }

  unlock(): Promise<ReviewerKeys> {
    this.keys ??= initCrypto().then(() => unlockKeyFile(this.keyPath));
    return this.keys;
  }

  /** The cached session if it is for this server and still fresh, else a new login. */
  currentSession(): Promise<Session> {
    this.session ??= (async () => {
      await initCrypto();
      const cached = loadSession(this.server);
      this.fromCache = cached !== null;
      return cached ?? login(this.server, await this.unlock());
    })();
    return this.session;
  }

  private fromCache = false;

  /**
   * A client with the session's token. A cached token the server no longer accepts (expired
   * early, logged out elsewhere, server restarted) is replaced by one new login, then the call
   * is made again: the server refuses before acting, so nothing is done twice.
   */
  async api(): Promise<ApiClient> {
    let client = createApiClient({
      baseUrl: this.server,
      token: (await this.currentSession()).token,
    });
    const call = async <T>(f: (c: ApiClient) => Promise<T>): Promise<T> => {
      try {
        return await f(client);
      } catch (err) {
        if (!this.fromCache || !isApiError(err) || !STALE.includes(err.code)) throw err;
        this.fromCache = false;
        clearSession();
        this.session = login(this.server, await this.unlock());
        client = createApiClient({ baseUrl: this.server, token: (await this.session).token });
        return f(client);
      }
    };
    return {
      baseUrl: this.server,
      get: (path, query) => call((c) => c.get(path, query)),
      post: (path, body) => call((c) => c.post(path, body)),
      put: (path, body) => call((c) => c.put(path, body)),
      delete: (path) => call((c) => c.delete(path)),
    };
  }

  /** A full record id from what the reviewer typed: the whole id or a unique prefix. */
  async recordId(typed: string): Promise<string> {
    const parsed = parseRecordId(typed);
    return 'id' in parsed ? parsed.id : matchRecordPrefix(await this.api(), parsed.prefix);
  }

  publicApi(retries = 0): ApiClient {
    return createApiClient({ baseUrl: this.intake, retries });
  }

  out(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Human text or JSON, whichever the caller asked for. */
  emit(value: unknown, human: () => string): void {
    this.out(this.json ? JSON.stringify(value, null, 2) : human());
  }

  note(text: string): void {
    process.stderr.write(`${text}\n`);
  }
}

export function contextOf(cmd: Command): Context {
  return new Context(cmd.optsWithGlobals<GlobalOptions>());
}
