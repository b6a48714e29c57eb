import { indicatorName } from '../../core/questionnaire';
import { checkChain, custodyFor, type CustodyLog } from '../custody';
import { describeEntry } from '../entries';
import type { OpenedRecord } from '../records';
import { answerPairs } from '../render/answers';
import { pickTranslation, sanitisationLines } from '../render/record';

// The printable case file: one self-contained HTML page (no script, styles inline) carrying each
// record's custody proof and whether the whole chain verified here.

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#111}
h1,h2,h3{line-height:1.2}.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.pair div{border:1px solid #999;padding:.5rem;white-space:pre-wrap}table{border-collapse:collapse}
td,th{border:1px solid #999;padding:.2rem .4rem;text-align:left;vertical-align:top}
code{font-size:12px;word-break:break-all}section{page-break-inside:avoid;margin-bottom:2rem}
@media print{body{margin:0}}`;

/** What the worker read out of pictures (OCR) with its translation, and each safe rendition. */
function readFromFiles(r: OpenedRecord): string[] {
  return r.body.files.flatMap((f) => {
    if (f.status !== 'clean') return [];
    const out: string[] = [];
    if (f.ocr) {
      const tr = 'text' in f.ocr.translation ? f.ocr.translation.text : '(not translated)';
      out.push(
        `<div class="pair"><div><h3>Text in ${esc(f.name)} (OCR, ${esc(f.ocr.lang.code)})</h3>${esc(f.ocr.text)}</div><div><h3>Its translation</h3>${esc(tr)}</div></div>`,
      );
    }
    if (f.rendition)
      out.push(
        `<p>Safe PDF rendition of ${esc(f.name)}: ${f.rendition.pages} page(s)${f.rendition.truncated ? ' (first pages only)' : ''}, SHA-256 <code>${esc(f.rendition.sha256)}</code>.</p>`,
      );
    return out;
  });
}

export function caseFileHtml(
  caseId: string,
  records: OpenedRecord[],
  log: CustodyLog,
  meta: { exportedBy: string; server: string; day: string },
): string {
  const chain = checkChain(log);
  const verdict = chain.ok
    ? `verified: ${chain.count} entries, head ${chain.head ?? '—'}`
    : `BROKEN at entry ${chain.problem.seq} (${chain.problem.reason})`;
  const parts: string[] = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Case ${esc(caseId)}</title><style>${STYLE}</style></head><body>`,
    `<h1>Case file ${esc(caseId)}</h1>`,
    `<p>Exported on ${esc(meta.day)} by ${esc(meta.exportedBy)} from ${esc(meta.server)}. Custody log ${esc(verdict)}.</p>`,
  ];
  for (const [i, r] of records.entries()) {
    const t = pickTranslation(r);
    const custody = custodyFor(log, r.detail.id);
    parts.push(
      `<section><h2>${i === 0 ? 'Testimony' : `Follow-up ${i}`} — ${esc(r.detail.receivedOn)}</h2>`,
      `<p>Record <code>${esc(r.detail.id)}</code>, language ${esc(r.body.lang.code)}, status ${esc(r.detail.status)}.</p>`,
      `<div class="pair"><div><h3>Original</h3>${esc(r.body.text)}</div><div><h3>${esc(t.title)}</h3>${esc(t.text)}</div></div>`,
      `<h3>Sanitisation</h3><ul>${sanitisationLines(r.body)
        .map((l) => `<li>${esc(l)}</li>`)
        .join('')}</ul>`,
      `<h3>Files</h3><ul>${r.body.files.map((f) => `<li>${esc(f.name)} — ${f.status === 'clean' ? `clean, SHA-256 <code>${f.sha256}</code>, removed: ${esc(f.report.removed.join(', ') || 'nothing')}` : `held back (${esc(f.reason)}), SHA-256 of original <code>${f.sha256}</code>`}</li>`).join('') || '<li>none</li>'}</ul>`,
    );
    parts.push(...readFromFiles(r));
    const answers = answerPairs(r.body.answers ?? {}, 'en');
    if (answers.length)
      parts.push(
        `<h3>Answers</h3><table>${answers.map((a) => `<tr><th>${esc(a.question)}</th><td>${esc(a.answer)}</td></tr>`).join('')}</table>`,
      );
    const inds = r.body.indicators ?? [];
    if (inds.length)
      parts.push(
        `<p>ILO indicators from the answers: ${inds.map((x) => esc(indicatorName(x))).join(', ')}</p>`,
      );
    const entries = r.entries.filter((e) => e.content.kind !== 'translation');
    if (entries.length)
      parts.push(
        `<h3>Entries</h3><table>${entries.map((e) => `<tr><td>${esc(e.createdOn)}</td><td>${esc(e.authorName ?? 'worker')}</td><td>${esc(describeEntry(e.content))}</td></tr>`).join('')}</table>`,
      );
    parts.push(
      `<h3>Chain of custody</h3><p>Record body SHA-256 <code>${esc(r.detail.bodySha256)}</code>; received envelope SHA-256 <code>${esc(r.body.receivedSha256)}</code>.</p>`,
      `<table><tr><th>seq</th><th>event</th><th>payload</th><th>entry hash</th><th>signer</th></tr>${custody.entries
        .map(
          (e) =>
            `<tr><td>${esc(String(e.seq))}</td><td>${esc(e.event)}</td><td><code>${esc(JSON.stringify(e.payload))}</code></td><td><code>${esc(e.entryHash)}</code></td><td>${esc(e.signerId)}</td></tr>`,
        )
        .join('')}</table></section>`,
    );
  }
  parts.push(
    '<p>Verify: the evidence bundle of this case (same desk, "Evidence bundle") checks with <code>sori verify --export</code>.</p></body></html>',
  );
  return parts.join('\n');
}
