import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { fromBase64, sha256Hex } from '../crypto';
import type { CustodyEntryWire } from './api-types';
import { checkChain, REASONS, type CustodyLog } from './custody';
import {
  CUSTODY_FILE,
  MANIFEST,
  RECORD_FILE,
  type CustodyExport,
  type ExportManifest,
  type RecordExport,
} from './export-format';
import { checkExportedFiles, hashFile } from './verify-files';
import type { Problem } from './verify-problem';

// Checks an export folder: every file against manifest.json, each record's stored ciphertexts
// and identifiers against the custody log, and each custody.json against the log it came from.

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Entries for one record by event, from the log the caller trusts (live or verified offline). */
function logFor(log: CustodyLog, recordId: string): CustodyEntryWire[] {
  return log.entries.filter((e) => e.recordId === recordId);
}

function checkRecord(dir: string, id: string, log: CustodyLog, problems: Problem[]): void {
  const where = `${id}/${RECORD_FILE}`;
  const rec = readJson<RecordExport>(join(dir, id, RECORD_FILE));
  if (rec?.format !== 'sori-record-export')
    return void problems.push({
      where,
      code: 'EXPORT_FILE_BAD',
      message: `${where} is not a record export`,
    });
  const entries = logFor(log, id);
  const created = entries.find((e) => e.event === 'record-created');
  if (!created)
    return void problems.push({
      where,
      code: 'CUSTODY_MISSING',
      message: `The custody log has no record-created entry for ${id}`,
    });
  const bodySha = sha256Hex(fromBase64(rec.sealed.body));
  if (bodySha !== created.payload.bodySha256) {
    problems.push({
      where,
      code: 'EXPORT_BODY_MISMATCH',
      message: `The stored body in ${where} does not match the custody log`,
    });
  }
  const body = rec.record.body;
  if (
    body.receivedSha256 !== created.payload.receivedSha256 ||
    body.submissionId !== created.payload.submissionId
  ) {
    problems.push({
      where,
      code: 'EXPORT_RECEIPT_MISMATCH',
      message: `What ${where} says was received does not match the custody log`,
    });
  }
  for (const t of entries.filter((e) => e.event === 'translation-added')) {
    const sealed = rec.sealed.entries.find((e) => e.id === t.payload.entryId);
    if (!sealed || sha256Hex(fromBase64(sealed.body)) !== t.payload.entrySha256) {
      problems.push({
        where,
        code: 'EXPORT_ENTRY_MISMATCH',
        message: `Entry ${t.payload.entryId} in ${where} does not match the custody log`,
      });
    }
  }
}

function checkCustodyFile(dir: string, id: string, log: CustodyLog, problems: Problem[]): void {
  const where = `${id}/${CUSTODY_FILE}`;
  const c = readJson<CustodyExport>(join(dir, id, CUSTODY_FILE));
  if (c?.format !== 'sori-custody-export')
    return void problems.push({
      where,
      code: 'EXPORT_FILE_BAD',
      message: `${where} is not a custody export`,
    });
  const own = checkChain({ entries: c.chain, signers: c.signers });
  if (!own.ok) {
    return void problems.push({
      where,
      code: 'CUSTODY_CHAIN_BROKEN',
      message: `The chain in ${where} breaks at entry ${own.problem.seq}: ${REASONS[own.problem.reason]}`,
    });
  }
  const bySeq = new Map(log.entries.map((e) => [Number(e.seq), e.entryHash]));
  const inChain = new Set(c.chain.map((e) => e.entryHash));
  for (const e of [...c.chain, ...c.entries]) {
    if (bySeq.get(Number(e.seq)) !== e.entryHash || !inChain.has(e.entryHash)) {
      return void problems.push({
        where,
        code: 'EXPORT_CUSTODY_MISMATCH',
        message: `Entry ${e.seq} in ${where} differs from the custody log`,
      });
    }
  }
}

export async function verifyExport(
  dir: string,
  log: CustodyLog,
): Promise<{ records: number; files: number; problems: Problem[] }> {
  const problems: Problem[] = [];
  const manifest = readJson<ExportManifest>(join(dir, MANIFEST));
  if (manifest?.format !== 'sori-export' || !Array.isArray(manifest.files)) {
    return {
      records: 0,
      files: 0,
      problems: [
        {
          where: MANIFEST,
          code: 'EXPORT_MANIFEST_BAD',
          message: `${join(dir, MANIFEST)} is not a Sori export manifest`,
        },
      ],
    };
  }
  for (const f of manifest.files) {
    const path = normalize(f.path);
    if (path.startsWith('..') || path.startsWith('/')) {
      problems.push({
        where: f.path,
        code: 'EXPORT_MANIFEST_BAD',
        message: `The manifest names a file outside the export: ${f.path}`,
      });
      continue;
    }
    const full = join(dir, path);
    if (!existsSync(full)) {
      problems.push({
        where: f.path,
        code: 'EXPORT_FILE_MISSING',
        message: `${f.path} is listed in the manifest but missing`,
      });
    } else if ((await hashFile(full)) !== f.sha256) {
      problems.push({
        where: f.path,
        code: 'EXPORT_FILE_CHANGED',
        message: `${f.path} does not match its SHA-256 in the manifest`,
      });
    }
  }
  for (const id of manifest.records) {
    checkRecord(dir, id, log, problems);
    checkCustodyFile(dir, id, log, problems);
  }
  checkExportedFiles(dir, manifest, problems);
  return { records: manifest.records.length, files: manifest.files.length, problems };
}

/** For --offline: the longest verified chain among the export's custody files stands in for the log. */
export function logFromExport(dir: string): CustodyLog | null {
  const manifest = readJson<ExportManifest>(join(dir, MANIFEST));
  let best: CustodyLog | null = null;
  for (const id of manifest?.records ?? []) {
    const c = readJson<CustodyExport>(join(dir, id, CUSTODY_FILE));
    if (c && (!best || c.chain.length > best.entries.length))
      best = { entries: c.chain, signers: c.signers };
  }
  return best;
}
