import type { CustodyEntryWire } from './api-types';
import type { Signer } from './custody';

// The layout of an evidence export (`sori export`), checked by `sori verify --export`:
//   DIR/manifest.json        SHA-256 of every other file
//   DIR/ID/record.json       the decrypted record and entries, plus the ciphertexts as stored
//                            (so they can be matched to the hashes in the custody log)
//   DIR/ID/custody.json      the record's custody entries, the chain 1..last that proves them,
//                            and the worker signing keys
//   DIR/ID/files/NN-NAME.EXT  each clean attachment, decrypted (its SHA-256 is in record.json)
//   DIR/ID/originals/NN-NAME  held-back originals, only with --include-originals (admins)

export const MANIFEST = 'manifest.json';
export const RECORD_FILE = 'record.json';
export const CUSTODY_FILE = 'custody.json';

export interface ExportManifest {
  format: 'sori-export';
  v: 1;
  /** Day only, like every date in Sori. */
  createdOn: string;
  server: string;
  exportedBy: string;
  records: string[];
  files: ExportedFile[];
}

export interface ExportedFile {
  path: string;
  sha256: string;
  bytes: number;
  /** For an attachment: which file of which record it is, so verify can match record.json. */
  file?: { recordId: string; fileId: string; status: 'clean' | 'original' | 'rendition' };
}

export interface RecordExport {
  format: 'sori-record-export';
  v: 1;
  record: Record<string, unknown> & {
    id: string;
    body: { submissionId: string; receivedSha256: string };
  };
  sealed: {
    body: string;
    bodySha256: string;
    entries: Array<{ id: string; kind: string; body: string; sha256: string }>;
  };
}

export interface CustodyExport {
  format: 'sori-custody-export';
  v: 1;
  recordId: string;
  signers: Signer[];
  entries: CustodyEntryWire[];
  chain: CustodyEntryWire[];
}
