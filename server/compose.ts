import type { Express } from 'express';
import type { Pool } from 'pg';
import {
  createBlobStore,
  deleteUnclaimedUploads,
  sumUnclaimedUploadBytes,
  type BlobStore,
  type BlobStoreConfig,
} from '../core/blob-store';
import type { Config } from '../core/config';
import { loadEnrolmentRoots } from '../core/enrolment-roots';
import type { Logger } from '../core/logger';
import { createPublicApp, type PublicAppDeps, type PublicServices } from './app';
import { createSealService } from './page/seal.service';
import { createSourceService } from './page/source.service';
import { createReviewApp, type ReviewServices } from './review/app';
import { createAdminService } from './review/admin/admin.service';
import { createAuthService } from './review/auth/auth.service';
import { createDirectoryService } from './review/directory/directory.service';
import { createEnrolmentGate } from './review/auth/enrolment-gate.service';
import { createFilesService } from './review/files/files.service';
import { createRecordsService } from './review/records/records.service';
import { createIntakeKeyService } from './intake-key/intake-key.service';
import type { BatchedMarker, Enqueuer } from './intake/outbox';
import { createRepliesService } from './replies/replies.service';
import { createSubmissionService } from './intake/submission.service';
import { createUploadCleanup, createUploadService, type UploadConfig } from './uploads';

// The server process's composition root: every service is built here, once, and routers get
// services. One blob store serves the tus uploads, the no-JS form, the review API and cleanup.

export interface ServerInfra extends Omit<PublicAppDeps, 'services'> {
  pool: Pool;
  /** Connections for text submissions alone (INTAKE_POOL_SIZE); `pool` when not given. */
  intakePool?: Pool;
  producer: Enqueuer;
  config: PublicAppDeps['config'] & ReviewConfig & UploadConfig;
  /** Batches the best-effort `queued` flags; main.ts flushes it on shutdown. */
  queuedMarker?: BatchedMarker;
}

type ReviewConfig = Pick<
  Config,
  | 'BODY_LIMIT_BYTES'
  | 'MAX_TEXT_BYTES'
  | 'SESSION_TTL_SECONDS'
  | 'ENROLMENT_ROOTS'
  | 'ENROLMENT_ROOTS_FILE'
>;

export interface ComposedServer {
  publicApp: Express;
  reviewApp: Express;
  services: PublicServices & { review: ReviewServices };
  store: BlobStore;
  /** For the sweeper: expired uploads, and with BLOB_STORE=s3 the objects of deleted blobs. */
  cleanupUploads: () => Promise<number>;
}

export function composeServer(infra: ServerInfra): ComposedServer {
  const { pool, config, log } = infra;
  const store = createBlobStore(pool, config, { chunkBytes: config.UPLOAD_CHUNK_BYTES });
  const submissions = createSubmissionService({
    pool,
    insertPool: infra.intakePool,
    producer: infra.producer,
    log,
    queuedMarker: infra.queuedMarker,
  });
  const intakeKeys = createIntakeKeyService({ pool });
  const services: PublicServices = {
    submissions,
    intakeKeys,
    replies: createRepliesService({ pool }),
    uploads: createUploadService({ pool, log, config, store }),
    seal: createSealService({
      store,
      quota: {
        bytes: config.UPLOAD_QUOTA_BYTES,
        unclaimedBytes: () => sumUnclaimedUploadBytes(pool),
        discardUnclaimed: (ids) => deleteUnclaimedUploads(pool, ids),
      },
      intakeKeys,
      submissions,
      config,
    }),
    sources: createSourceService({ pool, submissions }),
  };
  const review = reviewServices(pool, config, store);
  return {
    publicApp: createPublicApp({ ...infra, services }),
    reviewApp: createReviewApp({ services: review, config, log }),
    services: { ...services, review },
    store,
    cleanupUploads: createUploadCleanup({ pool, log, store }),
  };
}

/**
 * The review API alone, for a process that serves nothing else (tests, the desk bench). Its
 * store only reads record files: the chunk size matters to appends, never to read().
 */
export function composeReviewApp(deps: {
  pool: Pool;
  config: ReviewConfig & BlobStoreConfig;
  log: Logger;
}): Express {
  const store = createBlobStore(deps.pool, deps.config, { chunkBytes: 1024 * 1024 });
  const services = reviewServices(deps.pool, deps.config, store);
  return createReviewApp({ services, config: deps.config, log: deps.log });
}

function reviewServices(pool: Pool, config: ReviewConfig, store: BlobStore): ReviewServices {
  return {
    auth: createAuthService({ pool, sessionTtlSeconds: config.SESSION_TTL_SECONDS }),
    // The worker's roots: the API serves only the reviewers the worker seals records to.
    gate: createEnrolmentGate({ pool, roots: loadEnrolmentRoots(config) }),
    records: createRecordsService({ pool }),
    files: createFilesService({ pool, store }),
    directory: createDirectoryService({ pool }),
    admin: createAdminService({ pool }),
  };
}
