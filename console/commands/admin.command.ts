import type { Command } from 'commander';
import {
  fingerprint,
  fromBase64,
  initCrypto,
  isCryptoError,
  signEnrolment,
  toBase64,
  type EnrolmentRole,
} from '../../crypto';
import { RECORD_STATUSES } from '../api-types';
import { contextOf } from '../context';
import { ConsoleError } from '../errors';
import { findReviewer, listReviewers, pickReviewer } from '../reviewers';
import { renderTable } from '../render/table';
import { registerAdminInit } from './admin-init.command';
import { REVIEWER_NAME } from './keygen.command';

// Operator work: enrolment and revocation (public keys only), intake key rotation, retention.

function publicKey(b64: string, what: string): string {
  try {
    if (fromBase64(b64).length === 32) return b64;
  } catch (err) {
    if (!isCryptoError(err)) throw err;
  }
  throw new ConsoleError('BAD_PUBLIC_KEY', `The ${what} is not a 32-byte base64url public key`);
}

export function statementOf(o: { box: string; sign: string; role: string }) {
  if (o.role !== 'admin' && o.role !== 'reviewer')
    throw new ConsoleError('BAD_ROLE', 'A role is admin or reviewer');
  return {
    role: o.role as EnrolmentRole,
    boxPublicKey: fromBase64(publicKey(o.box, 'box key')),
    signPublicKey: fromBase64(publicKey(o.sign, 'sign key')),
  };
}

interface Policy {
  status: string;
  days: number;
}

function parsePolicies(sets: string[]): Policy[] {
  return sets.map((s) => {
    const m = /^([a-z-]+)=(\d+)$/.exec(s);
    if (!m || !(RECORD_STATUSES as readonly string[]).includes(m[1]!) || Number(m[2]) < 1) {
      throw new ConsoleError(
        'BAD_RETENTION',
        `--set takes status=days with a status among ${RECORD_STATUSES.join(', ')}`,
      );
    }
    return { status: m[1]!, days: Number(m[2]) };
  });
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerAdmin(program: Command): void {
  const admin = program.command('admin').description('operator commands (admin role)');
  registerAdminInit(admin);

  admin
    .command('certify')
    .description(
      'sign an enrolment with your key, offline: for the first admin (npm run admin:bootstrap) when you hold a root key',
    )
    .requiredOption('--box <b64>', 'box (X25519) public key')
    .requiredOption('--sign <b64>', 'signing (Ed25519) public key')
    .option('--role <role>', 'admin or reviewer', 'admin')
    .action(async (o: { box: string; sign: string; role: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      await initCrypto();
      const statement = statementOf(o);
      const cert = signEnrolment(statement, (await ctx.unlock()).sign);
      const result = { certSigner: toBase64(cert.signer), certSignature: toBase64(cert.signature) };
      ctx.emit(result, () =>
        [
          `Certificate for a ${o.role} with sign key ${fingerprint(statement.signPublicKey)}:`,
          `  --cert-signer=${result.certSigner} --cert-signature=${result.certSignature}`,
          `Your key (${fingerprint(cert.signer)}) must be in the worker's ENROLMENT_ROOTS.`,
        ].join('\n'),
      );
    });

  admin
    .command('recertify')
    .description(
      'sign the certificate of a reviewer enrolled without one (before ENROLMENT_ROOTS, or by a revoked admin), with your key',
    )
    .argument('<reviewer>', 'reviewer name or id')
    .requiredOption('--box <b64>', 'their box (X25519) public key, from them, not from the server')
    .requiredOption('--sign <b64>', 'their signing (Ed25519) public key, from them')
    .requiredOption('--role <role>', 'admin or reviewer, as you mean to certify them')
    .action(async (who: string, o: { box: string; sign: string; role: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      await initCrypto();
      // What is signed comes from the reviewer, as at enrolment; the server's listing must
      // agree with it. Signing the listing itself would certify whatever someone able to
      // write the database had put there.
      const statement = statementOf(o);
      const api = await ctx.api();
      const r = pickReviewer(await listReviewers(api), who);
      if (r.boxPublicKey !== o.box || r.signPublicKey !== o.sign || r.role !== o.role)
        throw new ConsoleError(
          'KEYS_MISMATCH',
          `The server lists other keys or another role for ${r.name}: nothing signed`,
        );
      const cert = signEnrolment(statement, (await ctx.unlock()).sign);
      await api.post(`/v1/admin/reviewers/${encodeURIComponent(r.id)}/certificate`, {
        signer: toBase64(cert.signer),
        signature: toBase64(cert.signature),
      });
      ctx.emit({ id: r.id, role: r.role }, () => `Certified ${r.name} (${r.role}) with your key.`);
    });

  admin
    .command('enroll')
    .description('enrol a reviewer by their public keys (from their sori keygen)')
    .requiredOption('--name <name>', 'reviewer name')
    .requiredOption('--box <b64>', 'box (X25519) public key')
    .requiredOption('--sign <b64>', 'signing (Ed25519) public key')
    .option('--role <role>', 'admin or reviewer', 'reviewer')
    .action(async (o: { name: string; box: string; sign: string; role: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (!REVIEWER_NAME.test(o.name))
        throw new ConsoleError(
          'BAD_NAME',
          'A reviewer name is lower-case letters, digits, dot, dash or underscore',
        );
      await initCrypto();
      const statement = statementOf(o);
      // Signed here, with this admin's own key: a worker with ENROLMENT_ROOTS seals records
      // only to reviewers whose certificate chains to a root, whatever the database says.
      const cert = signEnrolment(statement, (await ctx.unlock()).sign);
      const body = {
        name: o.name,
        role: o.role,
        boxPublicKey: o.box,
        signPublicKey: o.sign,
        certificate: { signer: toBase64(cert.signer), signature: toBase64(cert.signature) },
      };
      const r = await (await ctx.api()).post<{ id: string }>('/v1/admin/reviewers', body);
      const fp = {
        boxFingerprint: fingerprint(fromBase64(o.box)),
        signFingerprint: fingerprint(fromBase64(o.sign)),
      };
      ctx.emit({ ...r, ...fp }, () =>
        [
          `Enrolled ${o.name} (${o.role}) as ${r.id}.`,
          `Check with them: box ${fp.boxFingerprint}, sign ${fp.signFingerprint}.`,
        ].join('\n'),
      );
    });

  admin
    .command('revoke')
    .description('revoke a reviewer at once (sessions end, no new records)')
    .argument('<reviewer>', 'reviewer name or id')
    .action(async (who: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = await ctx.api();
      const r = await findReviewer(api, who);
      await api.post(`/v1/admin/reviewers/${encodeURIComponent(r.id)}/revoke`);
      ctx.emit({ revoked: r.id, name: r.name }, () => `Revoked ${r.name} (${r.id}).`);
    });

  admin
    .command('reviewers')
    .description('list enrolled reviewers')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const reviewers = await listReviewers(await ctx.api());
      ctx.emit({ reviewers }, () =>
        renderTable(reviewers, [
          { header: 'NAME', value: (r) => r.name },
          { header: 'ID', value: (r) => r.id },
          { header: 'ROLE', value: (r) => r.role },
          { header: 'ENROLLED', value: (r) => r.enrolledOn ?? '' },
          { header: 'REVOKED', value: (r) => r.revokedOn ?? '' },
        ]),
      );
    });

  admin
    .command('rotate-intake-key')
    .description('publish a new intake public key (the old one keeps being accepted)')
    .requiredOption('--public-key <b64>', 'the new intake public key (from npm run keys:init)')
    .action(async (o: { publicKey: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      await initCrypto();
      const r = await (
        await ctx.api()
      ).post<Record<string, unknown>>('/v1/admin/intake-keys', {
        publicKey: publicKey(o.publicKey, 'intake key'),
      });
      const fp = fingerprint(fromBase64(o.publicKey));
      ctx.emit(
        { ...r, fingerprint: fp },
        () => `Intake key rotated; sources now see fingerprint ${fp}.`,
      );
    });

  admin
    .command('intake-keys')
    .description('list intake keys and their state')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const res = await (
        await ctx.api()
      ).get<{ keys?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>>(
        '/v1/admin/intake-keys',
      );
      const keys = Array.isArray(res) ? res : (res.keys ?? []);
      ctx.emit({ keys }, () =>
        renderTable(
          keys,
          ['id', 'status', 'fingerprint', 'createdOn'].map((k) => ({
            header: k.toUpperCase(),
            value: (r: Record<string, unknown>) => String(r[k] ?? ''),
          })),
        ),
      );
    });

  admin
    .command('retention')
    .description('show or set how long records are kept per status, or run the deletion now')
    .option(
      '--set <status=days>',
      'keep records of this status this many days (repeatable)',
      collect,
    )
    .option('--run', 'delete what is past its retention now')
    .action(async (o: { set?: string[]; run?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = await ctx.api();
      const changes = parsePolicies(o.set ?? []);
      let policies = (await api.get<{ policies: Policy[] }>('/v1/admin/retention')).policies;
      if (changes.length) {
        const merged = new Map(policies.map((p) => [p.status, p.days]));
        for (const c of changes) merged.set(c.status, c.days);
        policies = [...merged].map(([status, days]) => ({ status, days }));
        policies =
          (await api.put<{ policies: Policy[] }>('/v1/admin/retention', { policies })).policies ??
          policies;
      }
      const run = o.run
        ? await api.post<Record<string, unknown>>('/v1/admin/retention/run')
        : undefined;
      ctx.emit({ policies, ...(run ? { run } : {}) }, () =>
        [
          policies.length
            ? renderTable(policies, [
                { header: 'STATUS', value: (p) => p.status },
                { header: 'DAYS', value: (p) => String(p.days) },
              ])
            : 'No retention policy: records are kept.',
          ...(run ? [`Retention run deleted ${String(run.deleted ?? 0)} record(s).`] : []),
        ].join('\n'),
      );
    });
}
