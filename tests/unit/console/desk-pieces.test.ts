import { parseIdle } from '../../../console/commands/desk.command';
import { csvCell, UWAZI_COLUMNS } from '../../../console/desk/archives';
import { CSP } from '../../../console/desk/guard';
import { parseCsv } from '../../integration/desk/csv';

// The small rules the desk relies on: how long "idle" is, how a CSV cell is quoted for Uwazi,
// and what the page may load.

describe('desk pieces', () => {
  it('reads --idle as minutes or seconds within bounds, and refuses the rest', () => {
    expect(parseIdle('15')).toBe(15 * 60_000);
    expect(parseIdle('90s')).toBe(90_000);
    expect(parseIdle('2m')).toBe(120_000);
    for (const bad of ['0', '0.5s', 'soon', '-1', '25h', '2000']) {
      expect(() => parseIdle(bad)).toThrow(expect.objectContaining({ code: 'BAD_IDLE' }));
    }
  });

  it('quotes CSV cells so that commas, quotes and newlines survive a round trip', () => {
    const values = ['plain', 'a,b', 'say "hi"', 'two\nlines', '여권, "passport"\r\nend', ''];
    const line = values.map(csvCell).join(',');
    expect(parseCsv(`${line}\r\n`)).toEqual([values]);
  });

  it('writes a cell a spreadsheet would run as a formula as text', () => {
    const hostile = ['=HYPERLINK("http://x.example","click")', '+1', '-2+3', '@SUM(A1)', '\tx'];
    const line = hostile.map(csvCell).join(',');
    expect(parseCsv(`${line}\r\n`)).toEqual([hostile.map((v) => `'${v}`)]);
    expect(csvCell('2026-12-06')).toBe('2026-12-06');
  });

  it('has title first and unique Uwazi column names without spaces', () => {
    expect(UWAZI_COLUMNS[0]).toBe('title');
    expect(new Set(UWAZI_COLUMNS).size).toBe(UWAZI_COLUMNS.length);
    for (const c of UWAZI_COLUMNS) expect(c).toMatch(/^[a-z_]+(__(ko|en))?$/);
  });

  it('lets the page load nothing but its own script and style', () => {
    expect(CSP).toContain("default-src 'none'");
    expect(CSP).not.toMatch(/unsafe|\*|https?:|data:/);
  });
});
