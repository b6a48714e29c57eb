import type { Pool } from 'pg';
import type { Config } from '../config';
import type { BlobStore } from './blob-store';
import { createPostgresBlobStore } from './postgres-blob-store';
import { s3Target, type S3Config } from './s3-client';
import { createS3BlobStore } from './s3-blob-store';

/** What choosing a store reads; absent keys mean the default (Postgres chunk rows). */
export type BlobStoreConfig = Partial<Pick<Config, 'BLOB_STORE'>> & S3Config;

/**
 * The store BLOB_STORE names. Everything a process reads and writes must use the same one:
 * the S3 store also reads blobs written to Postgres before a switch, not the other way round.
 * A missing S3_BUCKET or an unreadable key file throws ConfigError here, at start.
 */
export function createBlobStore(
  pool: Pool,
  config: BlobStoreConfig,
  options: { chunkBytes: number },
): BlobStore {
  const postgres = createPostgresBlobStore(pool, options);
  if (config.BLOB_STORE !== 's3') return postgres;
  return createS3BlobStore(pool, s3Target(config), { ...options, postgres });
}
