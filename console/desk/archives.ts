import { zipSync, type Zippable } from 'fflate';
import { indicatorName } from '../../core/questionnaire';
import { sha256Hex, utf8 } from '../../crypto';
import { custodyFor, type CustodyLog } from '../custody';
import { recordExport } from '../export-bundle';
import { safeName } from '../export-files';
import {
  CUSTODY_FILE,
  MANIFEST,
  RECORD_FILE,
  type CustodyExport,
  type ExportManifest,
} from '../export-format';
import type { OpenedRecord } from '../records';
import { pickTranslation } from '../render/record';
import { cleanFileBytes, type CleanFile } from './files';
import type { Vault } from './vault';

// The desk's two archives, built in memory: the evidence bundle (`sori export`'s layout) and a
// HURIDOCS Uwazi import (cases.csv plus the attachments it names).

const json = (v: unknown) => utf8(JSON.stringify(v, null, 2) + '\n');

export async function evidenceZip(
  vault: Vault,
  records: OpenedRecord[],
  log: CustodyLog,
  meta: { exportedBy: string; day: string },
): Promise<Uint8Array> {
  const zip: Zippable = {};
  const files: ExportManifest['files'] = [];
  const put = (path: string, bytes: Uint8Array, file?: ExportManifest['files'][number]['file']) => {
    zip[path] = bytes;
    files.push({ path, sha256: sha256Hex(bytes), bytes: bytes.length, ...(file ? { file } : {}) });
  };
  for (const r of records) {
    const id = r.detail.id;
    put(`${id}/${RECORD_FILE}`, json(recordExport(r)));
    const custody: CustodyExport = {
      format: 'sori-custody-export',
      v: 1,
      recordId: id,
      signers: log.signers,
      ...custodyFor(log, id),
    };
    put(`${id}/${CUSTODY_FILE}`, json(custody));
    for (const [i, f] of r.body.files.entries()) {
      if (f.status !== 'clean') continue;
      const bytes = await cleanFileBytes(vault, r, f, f.name);
      put(`${id}/files/${safeName(f.name, i + 1, f.extension)}`, bytes, {
        recordId: id,
        fileId: f.fileId,
        status: 'clean',
      });
    }
  }
  const manifest: ExportManifest = {
    format: 'sori-export',
    v: 1,
    createdOn: meta.day,
    server: vault.server,
    exportedBy: meta.exportedBy,
    records: records.map((r) => r.detail.id),
    files,
  };
  zip[MANIFEST] = json(manifest);
  return zipSync(zip, { level: 0 });
}

/** The Uwazi columns, in order; README documents what each holds. */
export const UWAZI_COLUMNS = [
  'title',
  'title__en',
  'title__ko',
  'case_id',
  'received_on',
  'last_received_on',
  'status',
  'language',
  'tags',
  'assignee',
  'ilo_indicators',
  'ilo_evidence',
  'testimony_original',
  'testimony__ko',
  'testimony__en',
  'follow_ups',
  'notes',
  'custody_entry_hashes',
  'attachments',
] as const;

/**
 * A cell a spreadsheet would run as a formula (a source controls the testimony text) is
 * written as text, behind an apostrophe, as OWASP advises for CSV injection.
 */
export function csvCell(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Uwazi splits multiple values on `|`: a `|` inside one value would split it wrongly. */
const one = (v: string) => v.replace(/\|/g, '/');
const many = (vs: string[]) => vs.map(one).join('|');

export async function uwaziZip(
  vault: Vault,
  cases: Array<{
    caseId: string;
    records: OpenedRecord[];
    tags: string[];
    assignee: string | null;
    indicators: string[];
  }>,
  log: CustodyLog,
): Promise<Uint8Array> {
  const zip: Zippable = {};
  const rows: string[][] = [];
  for (const c of cases) {
    const [root] = c.records;
    if (!root) continue;
    const last = c.records[c.records.length - 1]!;
    const short = c.caseId.slice(0, 8);
    const texts = (lang: string) =>
      c.records
        .map((r) => (r.body.lang.code === lang ? r.body.text : (humanTo(r, lang) ?? '')))
        .filter(Boolean)
        .join('\n\n');
    const english = c.records
      .map((r) => (r.body.lang.code === 'en' ? r.body.text : pickTranslation(r).text))
      .join('\n\n');
    const entries = c.records.flatMap((r) => r.entries.map((e) => e.content));
    const attachments: string[] = [];
    for (const r of c.records) {
      for (const [i, f] of r.body.files.entries()) {
        if (f.status !== 'clean') continue;
        const name = `${short}-${r.detail.id.slice(0, 8)}-${safeName(f.name, i + 1, (f as CleanFile).extension)}`;
        zip[name] = await cleanFileBytes(vault, r, f, f.name);
        attachments.push(name);
      }
    }
    const row: Record<(typeof UWAZI_COLUMNS)[number], string> = {
      title: `Case ${short} (${root.detail.receivedOn})`,
      title__en: `Case ${short} (${root.detail.receivedOn})`,
      title__ko: `사건 ${short} (${root.detail.receivedOn})`,
      case_id: c.caseId,
      received_on: root.detail.receivedOn,
      last_received_on: last.detail.receivedOn,
      status: root.detail.status,
      language: root.body.lang.code,
      tags: many(c.tags),
      assignee: c.assignee ?? '',
      ilo_indicators: many(c.indicators.map(indicatorName)),
      ilo_evidence: many(
        entries.flatMap((e) =>
          e.kind === 'indicator'
            ? [`${indicatorName(e.indicator)} (${e.confidence}): ${e.quote}`]
            : [],
        ),
      ),
      testimony_original: c.records.map((r) => r.body.text).join('\n\n'),
      testimony__ko: texts('ko'),
      testimony__en: english,
      follow_ups: String(c.records.length - 1),
      notes: entries.flatMap((e) => (e.kind === 'note' ? [e.text] : [])).join('\n\n'),
      custody_entry_hashes: many(
        c.records.flatMap((r) => custodyFor(log, r.detail.id).entries.map((e) => e.entryHash)),
      ),
      attachments: many(attachments),
    };
    rows.push(UWAZI_COLUMNS.map((k) => row[k]));
  }
  const csv =
    [UWAZI_COLUMNS.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
  zip['cases.csv'] = utf8(csv);
  return zipSync(zip, { level: 0 });
}

function humanTo(r: OpenedRecord, lang: string): string | null {
  const h = [...r.entries]
    .reverse()
    .find((e) => e.content.kind === 'human-translation' && e.content.target === lang);
  return h?.content.kind === 'human-translation' ? h.content.text : null;
}
