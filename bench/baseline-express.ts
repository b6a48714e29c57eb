import { startChild, freePort, waitForHttp } from './children';
import { measureHttp, type HttpFigures } from './load';
import { bodyTemplate } from './intake';

// Baseline (a): the same request (a 4 KB testimony's envelope, fresh id each time) against a
// bare Express 5 + helmet app in a child process, measured exactly like Sori's server.

export async function benchBaselineExpress(envelopeJson: string): Promise<HttpFigures> {
  const port = await freePort();
  const child = startChild('baseline-express', 'bench/baseline-express.server.ts', {
    PORT: String(port),
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(child, url);
    return await measureHttp(url, bodyTemplate(envelopeJson), 202, child.proc.pid);
  } finally {
    await child.stop();
  }
}
