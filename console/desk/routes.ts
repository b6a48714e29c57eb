import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { fetchCustodyLog } from '../custody';
import { actionSchema, applyAction, caseNotFound, grantCases, grantSchema } from './actions';
import { adminOverview, enrol, enrolSchema, retentionSchema, revoke, setRetention } from './admin';
import { evidenceZip, uwaziZip } from './archives';
import { caseFileHtml } from './case-file';
import { printPdf } from './print-pdf';
import { caseView } from './case-view';
import { DeskError } from './desk-error';
import { fileRoutes } from './files';
import type { Inbox } from './inbox';
import type { Vault } from './vault';
import { listReviewers } from '../reviewers';

// The desk's own JSON API, for its page only (guard.ts stands in front of every route).

const uuid = z.uuid();
const lang = (req: Request): 'en' | 'ko' => (req.query.lang === 'ko' ? 'ko' : 'en');
const today = () => new Date().toISOString().slice(0, 10);

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new DeskError('DESK_BAD_INPUT', 400, r.error.issues[0]?.message ?? 'Bad input');
  return r.data;
}

function download(res: Response, name: string, type: string, body: Uint8Array | string): void {
  res.set('Content-Disposition', `attachment; filename="${name}"`);
  res.type(type).send(typeof body === 'string' ? body : Buffer.from(body));
}

export function deskRoutes(vault: Vault, inbox: Inbox): Router {
  const r = Router();
  // Every call but the lock-state poll is the reviewer at work: it restarts the idle clock.
  r.use('/api', (req, _res, next) => {
    if (req.path !== '/state') vault.touch();
    next();
  });

  r.get('/api/state', (_req, res) => {
    res.json({
      unlocked: vault.unlocked,
      lockedBecause: vault.lastLockReason,
      idleSeconds: Math.round(vault.idleMs / 1000),
      reviewer: vault.unlocked ? vault.me() : null,
    });
  });

  r.post('/api/unlock', async (req, res) => {
    const { passphrase } = parse(
      z.strictObject({ passphrase: z.string().min(1).max(1024) }),
      req.body,
    );
    const reviewer = await vault.unlock(passphrase);
    await inbox.refresh(vault.api(), vault.requireKeys());
    res.json({ reviewer });
  });

  r.post('/api/lock', (_req, res) => {
    vault.lock('asked');
    res.json({ unlocked: false });
  });

  r.get('/api/cases', async (req, res) => {
    if (req.query.refresh === '1') await inbox.refresh(vault.api(), vault.requireKeys());
    vault.requireKeys();
    const q = req.query;
    const s = (k: string) =>
      typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined;
    const filter = {
      status: s('status'),
      tag: s('tag'),
      assignee: s('assignee'),
      language: s('language'),
      indicator: s('indicator'),
      unread: q.unread === '1',
      withFiles: q.withFiles === '1',
      q: s('q'),
    };
    res.json({ cases: inbox.cases(filter) });
  });

  const caseRecords = (req: Request) => {
    vault.requireKeys();
    const records = inbox.caseRecords(parse(uuid, req.params.caseId));
    if (records.length === 0) throw caseNotFound();
    return records;
  };

  r.get('/api/cases/:caseId', (req, res) => {
    const records = caseRecords(req);
    inbox.markSeen(String(req.params.caseId));
    res.json(caseView(records, lang(req)));
  });

  r.post('/api/cases/:caseId/actions', async (req, res) => {
    const caseId = parse(uuid, req.params.caseId);
    caseRecords(req);
    await applyAction(vault, inbox, caseId, parse(actionSchema, req.body));
    await inbox.refresh(vault.api(), vault.requireKeys());
    inbox.markSeen(caseId);
    res.json(caseView(inbox.caseRecords(caseId), lang(req)));
  });

  r.use(fileRoutes(vault, inbox));

  r.get('/api/reviewers', async (_req, res) => {
    vault.requireKeys();
    const all = await listReviewers(vault.api());
    res.json({
      me: vault.me().name,
      reviewers: all
        .filter((x) => !x.revokedOn)
        .map((x) => ({ id: x.id, name: x.name, role: x.role })),
    });
  });

  r.post('/api/grants', async (req, res) => {
    vault.requireKeys();
    res.json(await grantCases(vault, inbox, parse(grantSchema, req.body)));
  });

  /** The printable case file, with the custody proof fetched now. */
  const caseFile = async (req: Request): Promise<string> =>
    caseFileHtml(String(req.params.caseId), caseRecords(req), await fetchCustodyLog(vault.api()), {
      exportedBy: vault.me().name,
      server: vault.server,
      day: today(),
    });

  r.get('/api/cases/:caseId/case-file.html', async (req, res) => {
    const html = await caseFile(req);
    download(res, `case-${String(req.params.caseId).slice(0, 8)}.html`, 'text/html', html);
  });

  r.get('/api/cases/:caseId/case-file.pdf', async (req, res) => {
    const html = await caseFile(req);
    const pdf = await printPdf(html);
    download(res, `case-${String(req.params.caseId).slice(0, 8)}.pdf`, 'application/pdf', pdf);
  });

  r.get('/api/cases/:caseId/evidence.zip', async (req, res) => {
    const records = caseRecords(req);
    const log = await fetchCustodyLog(vault.api());
    const zip = await evidenceZip(vault, records, log, {
      exportedBy: vault.me().name,
      day: today(),
    });
    download(res, `evidence-${String(req.params.caseId).slice(0, 8)}.zip`, 'application/zip', zip);
  });

  r.get('/api/uwazi.zip', async (req, res) => {
    vault.requireKeys();
    const wanted =
      typeof req.query.cases === 'string' && req.query.cases ? req.query.cases.split(',') : null;
    const cases = inbox
      .cases()
      .filter((c) => wanted === null || wanted.includes(c.caseId))
      .map((c) => ({ ...c, records: inbox.caseRecords(c.caseId) }));
    const zip = await uwaziZip(vault, cases, await fetchCustodyLog(vault.api()));
    download(res, `uwazi-${today()}.zip`, 'application/zip', zip);
  });

  r.get('/api/admin', async (_req, res) => {
    res.json(await adminOverview(vault, inbox));
  });
  r.post('/api/admin/reviewers', async (req, res) => {
    res.status(201).json(await enrol(vault, parse(enrolSchema, req.body)));
  });
  r.post('/api/admin/reviewers/:who/revoke', async (req, res) => {
    res.json(await revoke(vault, String(req.params.who)));
  });
  r.put('/api/admin/retention', async (req, res) => {
    res.json(await setRetention(vault, parse(retentionSchema, req.body)));
  });

  r.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'DESK_NOT_FOUND', message: 'No such desk call' } });
  });
  return r;
}
