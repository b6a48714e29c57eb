import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../core/config';
import { createPool } from '../../core/db';
import { fromBase64, initCrypto } from '../../crypto';
import { bootstrapFirstAdmin } from '../../core/reviewer-enrolment';

// Enrols the first admin on the server host, from the public keys `sori keygen` printed:
//   npm run admin:bootstrap -- --name NAME --box=B64 --sign=B64 [--cert-signer=B64 --cert-signature=B64]
// Refuses once an active admin exists. server/review/API.md (First admin) says the rest.

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function publicKeyArg(value: string | undefined, flag: string, length = 32): Uint8Array {
  let bytes: Uint8Array | null = null;
  try {
    bytes = value ? fromBase64(value) : null;
  } catch {
    bytes = null;
  }
  if (!bytes || bytes.length !== length)
    throw new ConfigError(`--${flag} must be ${length} bytes of base64url`);
  return bytes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      box: { type: 'string' },
      sign: { type: 'string' },
      'cert-signer': { type: 'string' },
      'cert-signature': { type: 'string' },
    },
    strict: true,
  });
  if (!values.name || !NAME.test(values.name))
    throw new ConfigError('--name must match ^[a-z0-9][a-z0-9._-]{0,63}$');
  await initCrypto();
  const boxPublicKey = publicKeyArg(values.box, 'box');
  const signPublicKey = publicKeyArg(values.sign, 'sign');
  const name = values.name;
  const hasCert = values['cert-signer'] !== undefined || values['cert-signature'] !== undefined;
  const certificate = hasCert
    ? {
        signer: publicKeyArg(values['cert-signer'], 'cert-signer'),
        signature: publicKeyArg(values['cert-signature'], 'cert-signature', 64),
      }
    : undefined;

  const config = loadConfig();
  const pool = createPool(config.DATABASE_URL, { max: 1 });
  try {
    const id = await bootstrapFirstAdmin(pool, { name, boxPublicKey, signPublicKey, certificate });
    if (!id)
      throw new ConfigError(
        'an admin already exists: enrol further reviewers with `sori admin enroll`',
      );
    process.stdout.write(`${JSON.stringify({ id, name, role: 'admin' })}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((err: unknown) => {
  const e = err as { code?: unknown; message?: unknown };
  const known =
    err instanceof ConfigError ||
    (typeof e.code === 'string' &&
      ['REVIEWER_EXISTS', 'ENROLMENT_CERTIFICATE_INVALID'].includes(e.code));
  process.stderr.write(
    `${known ? String(e.message) : 'bootstrap failed'} (${String(e.code ?? 'ERROR')})\n`,
  );
  process.exit(1);
});
