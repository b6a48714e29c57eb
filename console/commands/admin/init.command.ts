import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Pool } from 'pg';
import { loadConfig } from '../../../core/config';
import { createPool } from '../../../core/db';
import { checkPostgres, StartupError } from '../../../core/startup-checks';
import {
  fingerprint,
  generateReviewerKeys,
  initCrypto,
  toBase64,
  type ReviewerKeys,
} from '../../../crypto';
import { bootstrapFirstAdmin } from '../../../core/reviewer-enrolment';
import { contextOf, type Context } from '../../context';
import { ConsoleError, isApiError } from '../../errors';
import { readPassphrase, readPublicKeys, writeKeyFile } from '../../keystore';
import { login } from '../../session';
import { REVIEWER_NAME } from '../keygen.command';

// `sori admin init`: the first reviewer of a fresh stack, on the machine that runs it: the key
// file if there is none, its public keys enrolled as the first admin straight into DATABASE_URL
// (no admin exists yet to authorise it through the review API), then a login. CONSOLE.md: why.

interface InitOptions {
  name: string;
  databaseUrl?: string;
}

async function keysFor(ctx: Context): Promise<{ keys: ReviewerKeys; created: boolean }> {
  if (existsSync(ctx.keyPath)) return { keys: await ctx.unlock(), created: false };
  const passphrase = await readPassphrase(`New passphrase for ${ctx.keyPath}: `, true);
  const keys = generateReviewerKeys();
  writeKeyFile(ctx.keyPath, keys, passphrase);
  return { keys, created: true };
}

async function enrol(pool: Pool, name: string, keys: ReviewerKeys): Promise<string | null> {
  try {
    return await bootstrapFirstAdmin(pool, {
      name,
      boxPublicKey: keys.box.publicKey,
      signPublicKey: keys.sign.publicKey,
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'REVIEWER_EXISTS')
      throw new ConsoleError('REVIEWER_EXISTS', `A reviewer named ${name} or with this key exists`);
    throw err;
  }
}

export function registerAdminInit(admin: Command): void {
  admin
    .command('init')
    .description(
      'first admin of a local stack: create the key file if needed, enrol it as admin in DATABASE_URL, log in',
    )
    .option('--name <name>', 'your reviewer name', 'admin')
    .option('--database-url <url>', 'the stack database (default: env DATABASE_URL, as the server)')
    .action(async (o: InitOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (!REVIEWER_NAME.test(o.name))
        throw new ConsoleError(
          'BAD_NAME',
          'A reviewer name is lower-case letters, digits, dot, dash or underscore',
        );
      if (existsSync(ctx.keyPath)) readPublicKeys(ctx.keyPath); // a bad file fails before the prompt
      const url = o.databaseUrl ?? loadConfig().DATABASE_URL;
      await initCrypto();
      const pool = createPool(url, { max: 1 });
      let id: string | null;
      let created: boolean;
      let keys: ReviewerKeys;
      try {
        try {
          await checkPostgres(pool, url);
        } catch (err) {
          if (err instanceof StartupError) throw new ConsoleError(err.code, err.message);
          throw err;
        }
        ({ keys, created } = await keysFor(ctx));
        id = await enrol(pool, o.name, keys);
      } finally {
        await pool.end();
      }
      if (!id)
        throw new ConsoleError(
          'ADMIN_EXISTS',
          'An admin exists already: ask them to enrol you (sori keygen, then they run sori admin enroll)',
        );
      const lines = [
        created ? `Created the key file ${ctx.keyPath} (keep its passphrase).` : '',
        `Enrolled ${o.name} as the first admin (${id}).`,
        `Box fingerprint ${fingerprint(keys.box.publicKey)}, sign fingerprint ${fingerprint(keys.sign.publicKey)}.`,
      ].filter(Boolean);
      let loggedIn = false;
      try {
        const s = await login(ctx.server, keys);
        loggedIn = true;
        lines.push(`Logged in to ${s.server} until ${s.expiresAt}.`);
      } catch (err) {
        if (!isApiError(err) && (err as { code?: unknown }).code !== 'NETWORK_ERROR') throw err;
        lines.push(`Could not log in to ${ctx.server} yet: start the stack, then run sori login.`);
      }
      lines.push(
        'Testimony sent from now on is sealed to you; run sori list to see it (a submission sent earlier follows within a few minutes, when the worker retries it).',
      );
      ctx.emit(
        {
          id,
          name: o.name,
          role: 'admin',
          keyFile: ctx.keyPath,
          created,
          loggedIn,
          boxPublicKey: toBase64(keys.box.publicKey),
          signPublicKey: toBase64(keys.sign.publicKey),
        },
        () => lines.join('\n'),
      );
    });
}
