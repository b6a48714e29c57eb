import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createBlobStore, s3Target, type BlobStore, type S3Target } from '../../core/blob-store';
import { initCrypto, randomId } from '../../crypto';
import { startTestApp, type TestApp } from './app';

// A real S3 protocol server (s3rver, in Node) on 127.0.0.1:0 for the S3 blob store's tests;
// MinIO cannot run here. Its objects are files in a temp directory, removed on close: the
// tests put only ciphertext there. Where s3rver and MinIO/AWS differ, core/blob-store says so.

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverCtor = new (options: Record<string, unknown>) => S3rverInstance;
// s3rver ships no types; this is the little of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as S3rverCtor;

export interface TestS3 {
  /** BLOB_STORE=s3 settings pointing at this server (s3rver's fixed test keys). */
  env: Record<string, string>;
  bucket: string;
  close(): Promise<void>;
}

export async function startS3rver(): Promise<TestS3> {
  await initCrypto();
  const directory = mkdtempSync(join(tmpdir(), 'sori-s3rver-'));
  const bucket = `sori-test-${randomId().slice(0, 8)}`;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    bucket,
    env: {
      BLOB_STORE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async close() {
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The public app with BLOB_STORE=s3 on a fresh s3rver, the store and the S3 client it uses. */
export interface S3App {
  s3: TestS3;
  app: TestApp;
  store: BlobStore;
  target: S3Target;
  close(): Promise<void>;
}

export async function startS3App(chunkBytes: number): Promise<S3App> {
  const s3 = await startS3rver();
  const app = await startTestApp({ env: { UPLOAD_CHUNK_BYTES: String(chunkBytes), ...s3.env } });
  return {
    s3,
    app,
    store: createBlobStore(app.pool, app.config, { chunkBytes }),
    target: s3Target(app.config),
    async close() {
      await app.close();
      await s3.close();
    },
  };
}

/** Every key under a prefix (the blob's objects, orphans included). */
export async function listKeys(client: S3Client, bucket: string, prefix: string) {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}
