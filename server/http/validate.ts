import { z } from 'zod';
import { AppError, E, type ErrorName } from '../../core/errors';
import { fromBase64 } from '../../crypto';

// zod at the edge: a failed parse becomes one AppError with a stable code. Issue messages are
// not echoed (they may quote what the client sent); the path names only our own fields.

/** A custom issue names its error in the catalogue, e.g. BAD_LENGTH or MANIFEST_TOO_LARGE. */
export interface IssueCode {
  code: ErrorName;
}

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  if (issue?.code === 'custom') {
    const params = (issue.params ?? {}) as Partial<IssueCode>;
    if (typeof params.code === 'string') {
      return fail(new AppError(params.code, `Invalid value at ${where}`));
    }
  }
  if (issue?.code === 'unrecognized_keys') {
    return fail(new AppError(E.UNKNOWN_FIELD, `Unknown field in ${where}`));
  }
  return fail(new AppError(E.INVALID_REQUEST, `Invalid value at ${where}`));
}

function fail(err: AppError): never {
  throw err;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/**
 * A base64url (no padding) string decoded to bytes, with its decoded length bounded.
 * The character cap is checked first so a huge string is refused before it is decoded.
 */
export function base64urlBytes(bounds: {
  min: number;
  max: number;
  tooLarge?: IssueCode;
  version?: number;
}) {
  const maxChars = Math.ceil((bounds.max * 4) / 3);
  return z.string().transform((s, ctx): Uint8Array => {
    const issue = (params: IssueCode) => {
      ctx.addIssue({ code: 'custom', message: params.code, params });
      return z.NEVER;
    };
    // A bad character outranks a bad size. The alphabet is only scanned here for an oversized
    // string: fromBase64 checks it anyway, and the manifest is most of every request.
    if (s.length > maxChars) {
      return issue(
        B64URL.test(s) ? (bounds.tooLarge ?? { code: E.BAD_LENGTH }) : { code: E.BAD_ENCODING },
      );
    }
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(s);
    } catch {
      return issue({ code: E.BAD_ENCODING });
    }
    if (bytes.length > bounds.max) return issue(bounds.tooLarge ?? { code: E.BAD_LENGTH });
    if (bytes.length < bounds.min) return issue({ code: E.BAD_LENGTH });
    // Every ciphertext starts with its protocol version; an unknown one is refused here.
    if (bounds.version !== undefined && bytes[0] !== bounds.version) {
      return issue({ code: E.UNSUPPORTED_VERSION });
    }
    return bytes;
  });
}
