import type { CustodyEntryWire } from './api-types';
import type { Signer } from './custody';

// The layout of an evidence export (`sori export`), checked by `sori verify --export`: see
// CONSOLE.md for each file.

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
