import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  fingerprint,
  generateBoxKeyPair,
  generateSignKeyPair,
  initCrypto,
  keyId,
  toBase64,
} from '../crypto';
import { INTAKE_KEY_FORMAT, WORKER_KEY_FORMAT } from './keys';

// `npm run keys:init -- DIR`: writes the intake and worker key files (0600), prints only public
// ids. It never overwrites a key file; --if-missing leaves a complete set as it is.

export const INTAKE_KEY_FILE = 'intake-key.json';
export const WORKER_KEY_FILE = 'worker-key.json';

const pair = (kp: { publicKey: Uint8Array; secretKey: Uint8Array }) => ({
  publicKey: toBase64(kp.publicKey),
  secretKey: toBase64(kp.secretKey),
});

function writeSecret(path: string, value: unknown): void {
  // 'wx': fail if the file exists; mode applies at creation, before any byte is written.
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
}

async function main(argv: string[]): Promise<void> {
  const dir = argv.find((a) => !a.startsWith('--'));
  const ifMissing = argv.includes('--if-missing');
  if (!dir) {
    process.stderr.write('usage: npm run keys:init -- DIR [--if-missing]\n');
    process.exit(2);
  }
  await initCrypto();
  // A directory that does not exist yet is made, readable by this user only.
  mkdirSync(resolve(dir), { recursive: true, mode: 0o700 });
  const intake = generateBoxKeyPair();
  const box = generateBoxKeyPair();
  const sign = generateSignKeyPair();
  const intakePath = join(resolve(dir), INTAKE_KEY_FILE);
  const workerPath = join(resolve(dir), WORKER_KEY_FILE);
  // Both or neither: half a key set is a confusing thing to find later.
  if (ifMissing && existsSync(intakePath) && existsSync(workerPath)) {
    process.stdout.write('keys:init: keys already present; left as they are\n');
    return;
  }
  if (existsSync(intakePath) || existsSync(workerPath)) {
    process.stderr.write('keys:init: a key file already exists there; refusing to overwrite it\n');
    process.exit(1);
  }
  writeSecret(intakePath, { format: INTAKE_KEY_FORMAT, v: 1, ...pair(intake) });
  writeSecret(workerPath, { format: WORKER_KEY_FORMAT, v: 1, box: pair(box), sign: pair(sign) });
  process.stdout.write(
    [
      `intake key  ${keyId(intake.publicKey)}  fingerprint ${fingerprint(intake.publicKey)}  -> ${intakePath}`,
      `worker box  ${keyId(box.publicKey)}  fingerprint ${fingerprint(box.publicKey)}`,
      `worker sign ${keyId(sign.publicKey)}  fingerprint ${fingerprint(sign.publicKey)}  -> ${workerPath}`,
      'Give the worker INTAKE_SECRET_KEY_FILE and WORKER_KEY_FILE; no other service needs them.',
      '',
    ].join('\n'),
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  process.stderr.write(`keys:init failed${typeof code === 'string' ? ` (${code})` : ''}\n`);
  process.exit(1);
});
