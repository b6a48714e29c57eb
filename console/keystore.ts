import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  decryptKeyFile,
  encryptKeyFile,
  isCryptoError,
  KEYFILE_PWHASH,
  type ReviewerKeys,
} from '../crypto';
import { ConsoleError } from './errors';
import { consoleLanguage } from './messages-ko';
import { promptHidden } from './prompt';

// The reviewer's key file: secrets under Argon2id(passphrase); it never leaves this machine.

/** crypto/keyfile.ts's floor; a test-only setting, so that each test process is not 256 MiB of Argon2. */
const TEST_KDF = Object.freeze({ opsLimit: 2, memLimit: 64 * 1024 * 1024 });

export function soriHome(): string {
  return process.env.SORI_HOME || join(homedir(), '.sori');
}

export function defaultKeyPath(): string {
  return join(soriHome(), 'key.json');
}

/** SORI_KDF_PARAMS=test is honoured only under NODE_ENV=test: production files stay costly. */
export function keyFileParams(): { opsLimit: number; memLimit: number } {
  if (process.env.NODE_ENV === 'test' && process.env.SORI_KDF_PARAMS === 'test') return TEST_KDF;
  return KEYFILE_PWHASH;
}

export async function readPassphrase(question: string, confirm = false): Promise<string> {
  const fromEnv = process.env.SORI_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const first = await promptHidden(question);
  if (first.length === 0) throw new ConsoleError('PASSPHRASE_EMPTY', 'The passphrase is empty');
  const again = consoleLanguage() === 'ko' ? '암호문을 한 번 더: ' : 'Repeat the passphrase: ';
  if (confirm && (await promptHidden(again)) !== first) {
    throw new ConsoleError('PASSPHRASE_MISMATCH', 'The two passphrases differ');
  }
  return first;
}

/** A key file guards every testimony its reviewer can read: a guessable passphrase opens it offline. */
export const MIN_PASSPHRASE_CHARS = 12;

export function writeKeyFile(path: string, keys: ReviewerKeys, passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS) {
    throw new ConsoleError(
      'PASSPHRASE_TOO_SHORT',
      `A new passphrase has at least ${MIN_PASSPHRASE_CHARS} characters; a few words you can remember work well`,
    );
  }
  if (existsSync(path)) {
    throw new ConsoleError(
      'KEYFILE_EXISTS',
      `A key file already exists at ${path}; refusing to overwrite it`,
    );
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const text = encryptKeyFile(keys, passphrase, keyFileParams());
  // 'wx': never replace a key file, even in a race; 0600 from the first byte.
  writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
}

export function readKeyFileText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConsoleError(
      'KEYFILE_MISSING',
      `No key file at ${path}; run sori keygen (or sori admin init, for the first admin of a stack on this machine) or pass --key`,
    );
  }
}

/** Public keys without the passphrase (they are stored in clear beside the secrets). */
export function readPublicKeys(path: string): { box: string; sign: string } {
  try {
    const f = JSON.parse(readKeyFileText(path)) as {
      publicKeys?: { box?: unknown; sign?: unknown };
    };
    const { box, sign } = f.publicKeys ?? {};
    if (typeof box === 'string' && typeof sign === 'string') return { box, sign };
  } catch (err) {
    if (err instanceof ConsoleError) throw err;
  }
  throw new ConsoleError('KEYFILE_BAD', `${path} is not a Sori key file`);
}

export async function unlockKeyFile(path: string): Promise<ReviewerKeys> {
  readKeyFileText(path); // a missing file is said before the passphrase is asked for
  const question = consoleLanguage() === 'ko' ? `${path} 의 암호문: ` : `Passphrase for ${path}: `;
  return openKeyFile(path, await readPassphrase(question));
}

/** The key file opened with a passphrase the caller already has (the desk's unlock form). */
export function openKeyFile(path: string, passphrase: string): ReviewerKeys {
  const text = readKeyFileText(path);
  try {
    return decryptKeyFile(text, passphrase);
  } catch (err) {
    if (isCryptoError(err, 'CRYPTO_DECRYPT_FAILED')) {
      throw new ConsoleError(
        'KEYFILE_BAD_PASSPHRASE',
        `The passphrase does not open the key file ${path}`,
      );
    }
    if (isCryptoError(err))
      throw new ConsoleError('KEYFILE_BAD', `${path} is not a usable key file: ${err.message}`);
    throw err;
  }
}
