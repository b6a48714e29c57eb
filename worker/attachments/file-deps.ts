import type { Pool } from 'pg';
import { createBlobStore, type BlobStore, type BlobStoreConfig } from '../../core/blob-store';
import { ConfigError, type Config } from '../../core/config';
import { createSemaphore, type Semaphore } from '../../core/semaphore';
import { fromBase64, isCryptoError, keyId } from '../../crypto';
import { sandboxFromConfig, type SandboxConfig } from '../jail/sandbox';
import type { Sandbox } from '../jail/sandbox.types';

// What the attachment pipeline needs, built once at start from the config: the blob store,
// the in-memory limit and the originals policy with the custodian's public key (checked here,
// so a bad key stops the worker instead of failing every submission with files).

export type FilesConfig = Partial<
  Pick<
    Config,
    | 'SANITISE_MAX_BYTES'
    | 'ORIGINALS'
    | 'CUSTODIAN_PUBLIC_KEY'
    | 'UPLOAD_CHUNK_BYTES'
    | 'ATTACHMENT_CONCURRENCY'
  >
> &
  SandboxConfig &
  BlobStoreConfig;

export interface Custodian {
  publicKey: Uint8Array;
  keyId: string;
}

export interface FileDeps {
  store: BlobStore;
  /** Larger plaintexts are held back unsanitised (streamed, never held whole). */
  sanitiseMaxBytes: number;
  /** Set with ORIGINALS=custodian: every original is also kept, sealed only to this key. */
  custodian: Custodian | null;
  /** Submissions whose files are being decrypted and sanitised at once in this process. */
  slots: Semaphore;
  /** Where files are parsed: a jail per submission (worker/jail/). */
  sandbox: Sandbox;
}

export const DEFAULT_SANITISE_MAX_BYTES = 512 * 1024 * 1024;

/** `sandbox` replaces the configured one (tests run the escape probe in the worker's jails). */
export function fileDepsFromConfig(config: FilesConfig, db: Pool, sandbox?: Sandbox): FileDeps {
  const sanitiseMaxBytes = config.SANITISE_MAX_BYTES ?? DEFAULT_SANITISE_MAX_BYTES;
  return {
    store: createBlobStore(db, config, { chunkBytes: config.UPLOAD_CHUNK_BYTES ?? 1024 * 1024 }),
    sanitiseMaxBytes,
    custodian:
      config.ORIGINALS === 'custodian' ? parseCustodian(config.CUSTODIAN_PUBLIC_KEY) : null,
    slots: createSemaphore(config.ATTACHMENT_CONCURRENCY ?? 2),
    sandbox: sandbox ?? sandboxFromConfig(config, sanitiseMaxBytes),
  };
}

function parseCustodian(value: string | undefined): Custodian {
  const bad = (why: string): never => {
    throw new ConfigError(`Invalid configuration: CUSTODIAN_PUBLIC_KEY: ${why}`);
  };
  if (!value) return bad('required with ORIGINALS=custodian');
  let publicKey: Uint8Array;
  try {
    publicKey = fromBase64(value.trim());
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    return bad('not base64url');
  }
  if (publicKey.length !== 32) return bad('must be a 32-byte X25519 public key');
  return { publicKey, keyId: keyId(publicKey) };
}
