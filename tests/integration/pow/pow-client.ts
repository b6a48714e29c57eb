import { formatPowHeader, fromBase64, solvePow } from '../../../crypto';

// What a client does: fetch a challenge, solve it, and send the Sori-Pow header.

export interface Issued {
  challenge: string;
  mac: string;
  difficulty: number;
  expires: number;
}

export async function fetchChallenge(url: string): Promise<Issued> {
  const res = await fetch(`${url}/v1/pow`);
  if (res.status !== 200) throw new Error(`GET /v1/pow answered ${res.status}`);
  return (await res.json()) as Issued;
}

export async function solvedHeader(url: string): Promise<{ 'sori-pow': string }> {
  const issued = await fetchChallenge(url);
  const challenge = fromBase64(issued.challenge);
  const nonce = await solvePow(challenge);
  return { 'sori-pow': formatPowHeader({ challenge, mac: fromBase64(issued.mac), nonce }) };
}
