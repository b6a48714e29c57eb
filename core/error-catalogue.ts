// Every error the service answers with, named once: its HTTP status and default message.
// `code` is set only where two names share a wire code; `shown` lets a 5xx show its message.

export interface CatalogueEntry {
  readonly status: number;
  readonly message: string;
  readonly code?: string;
  readonly shown?: true;
}

export const ERROR_CATALOGUE = {
  // 400: the request itself is wrong
  BAD_REQUEST: { status: 400, message: 'Bad request' },
  INVALID_REQUEST: { status: 400, message: 'Invalid request' },
  UNKNOWN_FIELD: { status: 400, message: 'Unknown field' },
  MALFORMED_JSON: { status: 400, message: 'Body is not valid UTF-8 JSON' },
  JSON_TOO_DEEP: { status: 400, message: 'JSON nests too deep' },
  REQUEST_ABORTED: { status: 400, message: 'Request was aborted' },
  BAD_PATH: { status: 400, message: 'Path is not valid percent-encoding' },
  BAD_LENGTH: { status: 400, message: 'A value has the wrong length' },
  BAD_ENCODING: { status: 400, message: 'A value is not base64url' },
  UNSUPPORTED_VERSION: { status: 400, message: 'Envelope version is not supported' },
  STATUS_REQUIRED: { status: 400, message: 'A status entry needs a status' },
  STATUS_NOT_ALLOWED: { status: 400, message: 'Only a status entry has a status' },
  DUPLICATE_STATUS: { status: 400, message: 'A status is listed twice' },
  BAD_CURSOR: { status: 400, message: 'Cursor is not valid' },
  FORM_EMPTY: { status: 400, message: 'Nothing to send' },
  RECEIPT_UNKNOWN: { status: 400, message: 'No such case' },
  MALFORMED_FORM: { status: 400, message: 'The form could not be read' },
  BAD_ANSWER: { status: 400, message: 'An answer could not be read' },
  ENROLMENT_CERTIFICATE_INVALID: {
    status: 400,
    message: 'The certificate does not cover this role and these keys',
  },
  ENROLMENT_CERTIFICATE_UNTRUSTED: {
    status: 400,
    message: 'The certificate is not signed by an enrolment root or a certified admin',
  },
  CERTIFICATE_NOT_YOURS: {
    status: 400,
    message: 'The certificate must be signed with your own key',
  },
  UPLOAD_LENGTH_REQUIRED: { status: 400, message: 'Upload-Length is required' },
  UPLOAD_DEFER_LENGTH_UNSUPPORTED: { status: 400, message: 'Upload-Length must be given' },
  UPLOAD_METADATA_REFUSED: { status: 400, message: 'Upload-Metadata is not accepted' },
  UPLOAD_CONCAT_UNSUPPORTED: { status: 400, message: 'Concatenation is not supported' },
  CREATION_WITH_UPLOAD_UNSUPPORTED: { status: 400, message: 'Create first, then PATCH the bytes' },
  BAD_UPLOAD_LENGTH: { status: 400, message: 'Upload-Length is not a length' },
  BAD_UPLOAD_OFFSET: { status: 400, message: 'Upload-Offset is required' },
  BAD_CONTENT_LENGTH: { status: 400, message: 'Content-Length is not a length' },
  // 401: who is calling is unknown
  AUTH_REQUIRED: { status: 401, message: 'Authorization: Bearer <token> is required' },
  AUTH_FAILED: { status: 401, message: 'Authentication failed' },
  CHALLENGE_INVALID: { status: 401, message: 'Challenge is unknown, used or expired' },
  SESSION_INVALID: { status: 401, message: 'Session is not valid' },
  SESSION_EXPIRED: { status: 401, message: 'Session has expired' },
  ENROLMENT_UNCERTIFIED: {
    status: 401,
    message: 'This reviewer has no certificate chaining to an enrolment root: present one first',
  },
  // 403: known, and not allowed
  ADMIN_REQUIRED: { status: 403, message: 'This route is for admins' },
  /** The caller's own reviewer is revoked: no sign-in, no session. */
  REVIEWER_REVOKED: { status: 403, message: 'Reviewer has been revoked' },
  POW_INVALID: { status: 403, message: 'The proof of work is not valid' },
  POW_EXPIRED: { status: 403, message: 'The proof of work has expired' },
  // 404
  NOT_FOUND: { status: 404, message: 'No such resource' },
  RECORD_NOT_FOUND: { status: 404, message: 'No such record' },
  REVIEWER_NOT_FOUND: { status: 404, message: 'No such reviewer' },
  INTAKE_KEY_NOT_FOUND: { status: 404, message: 'No such intake key' },
  FILE_NOT_FOUND: { status: 404, message: 'No such file' },
  UPLOAD_NOT_FOUND: { status: 404, message: 'No such upload' },
  BLOB_NOT_FOUND: { status: 404, message: 'No such blob' },
  // 405, 408, 410, 412
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request took too long to arrive' },
  UPLOAD_TOO_SLOW: { status: 408, message: 'The form arrived too slowly' },
  UPLOAD_EXPIRED: { status: 410, message: 'Upload has expired' },
  TUS_VERSION_UNSUPPORTED: { status: 412, message: 'Tus-Resumable must be 1.0.0' },
  // 409: the request clashes with what is stored
  SUBMISSION_ID_CONFLICT: {
    status: 409,
    message: 'This id was used for a different submission',
  },
  REVIEWER_EXISTS: { status: 409, message: 'A reviewer with this name or key exists' },
  /** A revoked reviewer is the target of an act (grant, role change), or enrols itself. */
  REVIEWER_REVOKED_CONFLICT: {
    status: 409,
    message: 'The reviewer is revoked',
    code: 'REVIEWER_REVOKED',
  },
  LAST_ADMIN: { status: 409, message: 'The last admin cannot be revoked' },
  INTAKE_KEY_RETIRED: { status: 409, message: 'A retired intake key cannot return' },
  INTAKE_KEY_CURRENT: { status: 409, message: 'Rotate before retiring the current key' },
  ENTRY_EXISTS: { status: 409, message: 'An entry with this id exists' },
  REPLY_EXISTS: { status: 409, message: 'A reply or entry with this id exists' },
  NO_SOURCE_CHANNEL: { status: 409, message: 'The source left no way to receive replies' },
  UPLOAD_COMPLETE: { status: 409, message: 'Upload is already complete' },
  UPLOAD_OFFSET_MISMATCH: { status: 409, message: 'Upload-Offset does not match' },
  POW_REPLAYED: { status: 409, message: 'The proof of work was already used' },
  BLOB_CHANGED: { status: 409, message: 'Blob changed while it was read' },
  // 413: too much
  BODY_TOO_LARGE: { status: 413, message: 'Body is too large' },
  MANIFEST_TOO_LARGE: { status: 413, message: 'The manifest is too large' },
  CIPHERTEXT_TOO_LARGE: { status: 413, message: 'A ciphertext is too large' },
  TEXT_TOO_LARGE: { status: 413, message: 'A field is too large' },
  TOO_MANY_FIELDS: { status: 413, message: 'Too many fields' },
  TOO_MANY_FILES: { status: 413, message: 'Too many files' },
  FILES_TOO_LARGE: { status: 413, message: 'Files are too large for this form' },
  UPLOAD_TOO_LARGE: { status: 413, message: 'Upload is too large' },
  UPLOAD_EXCEEDS_LENGTH: { status: 413, message: 'Body goes beyond Upload-Length' },
  // 415: the wrong kind of body
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Content-Type must be application/json' },
  BAD_CONTENT_TYPE: { status: 415, message: 'Content-Type is not accepted' },
  BAD_CONTENT_ENCODING: { status: 415, message: 'Content-Encoding is not supported' },
  // 422: well-formed, naming what does not exist
  UNKNOWN_INTAKE_KEY: { status: 422, message: 'Intake key is unknown or retired' },
  UNKNOWN_UPLOAD: { status: 422, message: 'An upload is unknown or incomplete' },
  // 428, 429
  POW_REQUIRED: { status: 428, message: 'A proof of work is required: GET /v1/pow' },
  TOO_MANY_REQUESTS: { status: 429, message: 'Too many requests for this receipt: try later' },
  // 500: ours; the message is never shown
  INTERNAL: { status: 500, message: 'Internal error' },
  BLOB_ELSEWHERE: { status: 500, message: 'Blob is elsewhere' },
  BLOB_DELETE_FAILED: { status: 500, message: 'Object store refused a delete' },
  // 503: try again later
  SERVICE_UNAVAILABLE: { status: 503, message: 'Service temporarily unavailable', shown: true },
  INTAKE_KEY_MISSING: {
    status: 503,
    message:
      'No intake key is registered yet: start the worker (npm run start:worker, or node dist/worker/main.js with INTAKE_SECRET_KEY_FILE set); it registers its key on start',
    shown: true,
  },
  UPLOADS_FULL: { status: 503, message: 'Too many uploads in progress; try again later' },
  PAGE_BUSY: { status: 503, message: 'Busy: try again in a minute' },
} as const satisfies Record<string, CatalogueEntry>;

type Catalogue = typeof ERROR_CATALOGUE;

/** An error's name in the catalogue: what a throw site says. */
export type ErrorName = keyof Catalogue;

/** The code a client reads on the wire: the name, unless the entry gives its own. */
export type ErrorCode = {
  [N in ErrorName]: Catalogue[N] extends { code: infer C extends string } ? C : N;
}[ErrorName];

/** The names as values, so a throw site names its error: `new AppError(E.SESSION_INVALID)`. */
export const E = Object.freeze(
  Object.fromEntries(Object.keys(ERROR_CATALOGUE).map((name) => [name, name])),
) as { readonly [N in ErrorName]: N };

export function wireCode(name: ErrorName): ErrorCode {
  const entry: CatalogueEntry = ERROR_CATALOGUE[name];
  return (entry.code ?? name) as ErrorCode;
}
