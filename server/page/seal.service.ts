import { Readable } from 'node:stream';
import type { BlobStore } from '../../core/blob-store';
import type { Config } from '../../core/config';
import { payloadTooLarge } from '../../core/errors';
import {
  attachmentKey,
  buildSubmission,
  createEncryptStream,
  encryptedFileSize,
  fromBase64,
  fromHex,
  randomBytes,
  sha256Hex,
  sha256Stream,
  toBase64,
  type SubmissionAttachment,
  type SourceKeys,
  type SubmissionManifest,
} from '../../crypto';
import { parseOrThrow } from '../http/validate';
import { submissionSchema } from '../routes/submissions/submissions.schema';
import type { IntakeKeyService } from '../services/intake-key.service';
import type { SubmissionService } from '../services/submission.service';
import type { AnswerValue } from './form-answers';
import type { FormFile } from './multipart';

// The no-JS path: what a browser without JavaScript would have encrypted itself, done here,
// in memory, the moment the form has arrived. Files become complete 'upload' blobs exactly
// like tus uploads, the envelope goes through the JSON API's own schema and service, so
// the worker cannot tell the two paths apart. Plaintext buffers are zeroed once sealed.

const SLICE_BYTES = 1024 * 1024;
const CONTENT_KEY_BYTES = 32;

export interface Testimony {
  text: string;
  lang: string;
  answers?: Record<string, AnswerValue>;
  files: FormFile[];
}

export interface SealDeps {
  store: BlobStore;
  intakeKeys: IntakeKeyService;
  submissions: SubmissionService;
  config: Pick<Config, 'MAX_TEXT_BYTES' | 'MAX_UPLOAD_BYTES' | 'UPLOAD_EXPIRY_DAYS'>;
}

function* slices(data: Buffer): Generator<Buffer> {
  for (let at = 0; at < data.length; at += SLICE_BYTES) yield data.subarray(at, at + SLICE_BYTES);
}

export function createSealService(deps: SealDeps) {
  const schema = submissionSchema({ MAX_TEXT_BYTES: deps.config.MAX_TEXT_BYTES });

  async function storeFile(
    contentKey: Uint8Array,
    subkeyId: number,
    file: FormFile,
    stored: string[],
  ): Promise<SubmissionAttachment> {
    const size = file.data.length;
    const cipherSize = encryptedFileSize(size);
    if (cipherSize > deps.config.MAX_UPLOAD_BYTES) {
      throw payloadTooLarge('FILES_TOO_LARGE', 'A file is too large');
    }
    const sha256 = sha256Hex(file.data);
    const id = await deps.store.create('upload', cipherSize, {
      expiresInDays: deps.config.UPLOAD_EXPIRY_DAYS,
    });
    stored.push(id);
    const encrypt = createEncryptStream(attachmentKey(contentKey, subkeyId), size);
    Readable.from(slices(file.data)).pipe(encrypt);
    const hash = sha256Stream();
    await deps.store.append(id, 0, encrypt, { onChunk: (c) => hash.update(c) });
    await deps.store.complete(id, fromHex(hash.digestHex()));
    return { uploadId: id, name: file.name, type: file.type, size, sha256, subkeyId };
  }

  return {
    /**
     * Seals the testimony to the current intake key, with the source keys a receipt derived
     * (the caller drops them; the receipt itself is never stored or logged), and stores it as
     * one submission. A failure before the hand-over deletes the blobs already written; after it, an
     * unclaimed upload simply expires like any abandoned tus upload.
     */
    async seal(testimony: Testimony, source: SourceKeys): Promise<{ id: string }> {
      const intakeKey = await deps.intakeKeys.current(); // 503 before any work if there is none
      const contentKey = randomBytes(CONTENT_KEY_BYTES);
      const stored: string[] = [];
      let handedOver = false;
      try {
        const attachments: SubmissionAttachment[] = [];
        for (const [i, file] of testimony.files.entries()) {
          attachments.push(await storeFile(contentKey, i + 1, file, stored));
          file.data.fill(0);
        }
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
        const input = parseOrThrow(schema, envelope);
        handedOver = true; // from here the submission service owns the blobs it may have claimed
        const accepted = await deps.submissions.accept(input);
        return { id: accepted.id };
      } catch (err) {
        if (!handedOver) {
          await Promise.all(stored.map((id) => deps.store.delete(id).catch(() => false)));
        }
        throw err;
      } finally {
        contentKey.fill(0);
        testimony.files.forEach((f) => f.data.fill(0));
      }
    },
  };
}

export type SealService = ReturnType<typeof createSealService>;
