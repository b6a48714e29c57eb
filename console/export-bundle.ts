import { fromBase64, sha256Hex } from '../crypto';
import type { RecordExport } from './export-format';
import type { OpenedRecord } from './records';
import { recordJson } from './render/record';

// record.json of an evidence export: the decrypted record and its entries beside the
// ciphertexts as stored, so each can be matched to the hashes in the custody log. Shared by
// `sori export` (a folder) and the desk (the same layout in a ZIP).

export function recordExport(r: OpenedRecord): RecordExport {
  return {
    format: 'sori-record-export',
    v: 1,
    record: recordJson(r) as RecordExport['record'],
    sealed: {
      body: r.detail.body,
      bodySha256: r.detail.bodySha256,
      entries: r.entries.map((e) => ({
        id: e.id,
        kind: e.kind,
        body: e.sealed,
        sha256: sha256Hex(fromBase64(e.sealed)),
      })),
    },
  };
}
