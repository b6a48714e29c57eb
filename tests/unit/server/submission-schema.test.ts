import fc from 'fast-check';
import { z } from 'zod';
import { isAppError } from '../../../core/errors';
import {
  buildSubmission,
  generateBoxKeyPair,
  initCrypto,
  randomBytes,
  toBase64,
} from '../../../crypto';
import { parseOrThrow } from '../../../server/http/validate';
import {
  compiledSubmissionSchema,
  submissionSchema,
} from '../../../server/intake/submissions.schema';

// The intake parses with zod's compiled form of the submission schema. zod falls back to its
// runtime parser whenever the compiled one fails, so both must answer every input alike: the
// same value for a valid envelope, the same code and status for anything else.

const config = { MAX_TEXT_BYTES: 1024 };

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; status: number };

function outcome(schema: z.ZodType, input: unknown): Outcome {
  try {
    return { ok: true, value: parseOrThrow(schema, input) };
  } catch (err) {
    if (!isAppError(err)) throw err;
    return { ok: false, code: err.code, status: err.status };
  }
}

describe('compiled submission schema', () => {
  let base: Record<string, unknown>;
  beforeAll(async () => {
    await initCrypto();
    const { envelope } = buildSubmission({
      intakePublicKey: generateBoxKeyPair().publicKey,
      manifest: { text: '증언', lang: 'ko' },
      sourceToken: randomBytes(32),
    });
    base = { ...envelope };
  });

  it('is compiled, not silently left to the runtime parser', () => {
    expect(() => z.compile(submissionSchema(config), { strict: true })).not.toThrow();
  });

  it('answers every input as the runtime schema does', () => {
    const runtime = submissionSchema(config);
    const compiled = compiledSubmissionSchema(config);
    const b64 = (n: number, first: number) => {
      const b = randomBytes(n);
      b[0] = first;
      return toBase64(b);
    };
    const uuid = fc.uuid().map((u) => (u.length % 2 ? u.toUpperCase() : u));
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ maxLength: 60 }),
      fc.base64String({ maxLength: 200 }),
      fc.string({ unit: fc.constantFrom('A', '_', '-', '=', '+', '/'), maxLength: 120 }),
      fc.integer({ min: 0, max: 2000 }).map((n) => b64(n, n % 3)),
      fc.constantFrom(1, '1', 2, null, [], {}),
      uuid,
      fc.array(uuid, { maxLength: 4 }),
      uuid.map((u) => [u, u.toLowerCase()]),
      fc.array(uuid, { minLength: 51, maxLength: 52 }),
      fc.stringMatching(/^k1_[A-Za-z0-9_-]{14,18}$/),
    );
    const field = fc.constantFrom(
      'v',
      'id',
      'intakeKeyId',
      'sealedKey',
      'manifest',
      'sourceToken',
      'uploads',
      '__proto__',
      'extra',
    );
    const input = fc.oneof(
      fc.constant(null).map(() => ({ ...base })),
      fc
        .array(fc.record({ field, value, drop: fc.boolean() }), { minLength: 1, maxLength: 3 })
        .map((edits) => {
          const body = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
          for (const { field: f, value: v, drop } of edits) {
            if (drop) delete body[f];
            else
              Object.defineProperty(body, f, {
                value: v,
                enumerable: true,
                writable: true,
                configurable: true,
              });
          }
          return body;
        }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    let valid = 0;
    fc.assert(
      fc.property(input, (body) => {
        const a = outcome(runtime, body);
        const b = outcome(compiled, body);
        expect(b).toEqual(a);
        if (a.ok) valid++;
      }),
      { numRuns: 800 },
    );
    expect(valid).toBeGreaterThan(0); // the comparison covered accepted envelopes too
  });
});
