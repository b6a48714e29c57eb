import { buildSubmission, randomBytes, type BoxKeyPair } from '../../../crypto';

// Builds what a real client sends: crypto's envelope, with the raw source token when given
// (the server hashes it).

export interface SubmissionBody {
  v: number;
  id: string;
  intakeKeyId: string;
  sealedKey: string;
  manifest: string;
  sourceToken?: string;
  uploads?: string[];
}

export function validBody(
  intake: BoxKeyPair,
  options: { text?: string; sourceToken?: Uint8Array; id?: string } = {},
): SubmissionBody {
  const { envelope } = buildSubmission({
    intakePublicKey: intake.publicKey,
    manifest: { text: options.text ?? '테스트 증언', lang: 'ko' },
    id: options.id,
    sourceToken: options.sourceToken,
  });
  return { ...envelope };
}

export const newSourceToken = (): Uint8Array => randomBytes(32);

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

export function errorCode(json: unknown): string | undefined {
  const e = (json as { error?: { code?: unknown } } | null)?.error;
  return typeof e?.code === 'string' ? e.code : undefined;
}
