import type { BlobStore } from '../../core/blob-store';
import type { Config } from '../../core/config';
import { AppError, E } from '../../core/errors';
import {
  attachmentKey,
  buildSubmission,
  encryptFileV2,
  encryptedFileSizeV2,
  fromBase64,
  fromHex,
  randomBytes,
  sha256Stream,
  toBase64,
  type SubmissionAttachment,
  type SourceKeys,
  type SubmissionManifest,
} from '../../crypto';
import { parseOrThrow } from '../http/validate';
import { submissionSchema } from '../intake/submissions.schema';
import type { IntakeKeyService } from '../intake-key/intake-key.service';
import type { SubmissionService } from '../intake/submission.service';
import type { AnswerValue } from './form-answers';
import type { IncomingFile } from './multipart';

// The no-JS path: what a browser without JavaScript would have encrypted, done here in memory
// as the form arrives, each file streamed through file format v2 into an 'upload' blob, the
// envelope through the JSON API's own service (server/page/PAGE.md).

const CONTENT_KEY_BYTES = 32;

export interface Testimony {
  text: string;
  lang: string;
  answers?: Record<string, AnswerValue>;
}

/** The bytes all unclaimed uploads hold and what they may hold (UPLOAD_QUOTA_BYTES). */
export interface UploadQuota {
  bytes: number;
  unclaimedBytes(): Promise<number>;
  /** Deletes those of `ids` that no submission claimed (after a failed hand-over): how many. */
  discardUnclaimed(ids: readonly string[]): Promise<number>;
}

export interface SealDeps {
  store: BlobStore;
  quota: UploadQuota;
  intakeKeys: IntakeKeyService;
  submissions: SubmissionService;
  config: Pick<
    Config,
    'MAX_TEXT_BYTES' | 'MAX_UPLOAD_BYTES' | 'MAX_SUBMISSION_UPLOAD_BYTES' | 'UPLOAD_EXPIRY_DAYS'
  >;
}

/** One submission being sealed: files first, as they arrive, then the manifest. */
export interface SealDraft {
  /** Streams one file into a new blob; rejects FILES_TOO_LARGE (413) past either limit. */
  addFile(file: IncomingFile): Promise<void>;
  /** Files stored so far (and being stored). */
  readonly fileCount: number;
  /** Seals the manifest to the current intake key and stores the submission. */
  finish(testimony: Testimony, source: SourceKeys): Promise<{ id: string }>;
  /** Deletes every blob this draft wrote, once its files have stopped; no-op once handed over. */
  abort(): Promise<void>;
}

/** The largest plaintext whose v2 ciphertext fits in `cipherBytes` (what the page tells people). */
export function largestPlaintext(cipherBytes: number): number {
  let lo = 0;
  let hi = cipherBytes; // ciphertext is never shorter than its plaintext
  if (encryptedFileSizeV2(0) > cipherBytes) return 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (encryptedFileSizeV2(mid) <= cipherBytes) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const tooLarge = () => new AppError(E.FILES_TOO_LARGE, 'A file is too large');
const uploadsFull = () => new AppError(E.UPLOADS_FULL);

/** How often a streaming file checks the quota again. */
const QUOTA_CHECK_BYTES = 16 * 1024 * 1024;

/** Zeroes each plaintext chunk once the encryptor has copied it (busboy's views of the socket). */
async function* wiped(
  source: AsyncIterable<Buffer>,
  seen: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    try {
      seen(chunk);
      yield chunk;
    } finally {
      chunk.fill(0); // also when the consumer stops here (a limit, a store error)
    }
  }
}

export function createSealService(deps: SealDeps) {
  const schema = submissionSchema({ MAX_TEXT_BYTES: deps.config.MAX_TEXT_BYTES });
  const { MAX_UPLOAD_BYTES, MAX_SUBMISSION_UPLOAD_BYTES, UPLOAD_EXPIRY_DAYS } = deps.config;

  function begin(): SealDraft {
    const contentKey = randomBytes(CONTENT_KEY_BYTES);
    const stored: string[] = []; // blob ids, to delete unless handed over
    const slots: Array<SubmissionAttachment | null> = []; // in form order
    const inFlight = new Set<Promise<void>>();
    let cipherBytes = 0; // all files of this submission, as stored
    let handedOver = false;
    let closed = false;

    /** Counts ciphertext as it goes to the store, and stops it past either limit. */
    async function* metered(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      let fileBytes = 0;
      let sinceCheck = 0;
      for await (const frame of source) {
        fileBytes += frame.length;
        cipherBytes += frame.length;
        sinceCheck += frame.length;
        if (fileBytes > MAX_UPLOAD_BYTES || cipherBytes > MAX_SUBMISSION_UPLOAD_BYTES)
          throw tooLarge();
        if (sinceCheck >= QUOTA_CHECK_BYTES) {
          sinceCheck = 0;
          await checkQuota();
        }
        yield frame;
      }
    }

    /** The same quota as tus uploads: unclaimed bytes (this post's so far included). */
    async function checkQuota(): Promise<void> {
      if ((await deps.quota.unclaimedBytes()) > deps.quota.bytes) throw uploadsFull();
    }

    async function store(file: IncomingFile, slot: number): Promise<void> {
      await checkQuota();
      const id = await deps.store.create('upload', null, { expiresInDays: UPLOAD_EXPIRY_DAYS });
      stored.push(id);
      const plainHash = sha256Stream();
      let size = 0;
      const plain = wiped(file.data as AsyncIterable<Buffer>, (chunk) => {
        size += chunk.length;
        plainHash.update(chunk);
      });
      const subkeyId = slot + 1;
      const cipherHash = sha256Stream();
      const frames = encryptFileV2(attachmentKey(contentKey, subkeyId), plain);
      await deps.store.append(id, 0, metered(frames), { onChunk: (c) => cipherHash.update(c) });
      if (!(await deps.store.complete(id, fromHex(cipherHash.digestHex()))))
        throw new Error('upload blob vanished while it was written');
      slots[slot] = {
        uploadId: id,
        name: file.name,
        type: file.type,
        size,
        sha256: plainHash.digestHex(),
        subkeyId,
      };
    }

    return {
      get fileCount() {
        return slots.length;
      },

      addFile(file) {
        if (closed) return Promise.reject(new Error('draft already finished'));
        slots.push(null);
        const work = store(file, slots.length - 1);
        inFlight.add(work);
        return work.finally(() => inFlight.delete(work));
      },

      async finish(testimony, source) {
        closed = true;
        await Promise.all(inFlight); // the form reader already waited; belt and braces
        const intakeKey = await deps.intakeKeys.current(); // 503 if there is none
        const attachments = slots.filter((a): a is SubmissionAttachment => a !== null);
        if (attachments.length !== slots.length) throw new Error('a file was not stored');
        const manifest: SubmissionManifest = {
          text: testimony.text,
          lang: testimony.lang,
          sourcePublicKey: toBase64(source.keyPair.publicKey),
        };
        if (testimony.answers && Object.keys(testimony.answers).length > 0) {
          manifest.answers = testimony.answers;
        }
        if (attachments.length > 0) manifest.attachments = attachments;
        const { envelope } = buildSubmission({
          intakePublicKey: fromBase64(intakeKey.publicKey),
          manifest,
          sourceToken: source.token,
          contentKey,
        });
        contentKey.fill(0);
        const input = parseOrThrow(schema, envelope);
        // From here the submission service owns the blobs it claims; if it fails, abort()
        // deletes only those that stayed unclaimed.
        handedOver = true;
        const accepted = await deps.submissions.accept(input);
        return { id: accepted.id };
      },

      async abort() {
        closed = true;
        contentKey.fill(0);
        await Promise.allSettled([...inFlight]);
        const ids = stored.splice(0);
        if (handedOver) {
          await deps.quota.discardUnclaimed(ids).catch(() => undefined); // else they expire
          return;
        }
        await Promise.all(ids.map((id) => deps.store.delete(id).catch(() => false)));
      },
    };
  }

  return { begin };
}

export type SealService = ReturnType<typeof createSealService>;
