import { answerLines } from '../../../console/render/answers';
import { sideBySide } from '../../../console/render/side-by-side';
import { renderTable } from '../../../console/render/table';
import { padEnd, stringWidth, truncate, wrap } from '../../../console/render/width';

describe('console rendering: display width', () => {
  it('counts Hangul, CJK and fullwidth forms as two columns and marks as none', () => {
    expect(stringWidth('abc')).toBe(3);
    expect(stringWidth('여권')).toBe(4);
    expect(stringWidth('护照')).toBe(4);
    expect(stringWidth('ＡＢ')).toBe(4);
    expect(stringWidth('e\u0301')).toBe(1); // e + combining acute
    expect(stringWidth('\u1100\u1161\u11A8')).toBe(2); // conjoining jamo 각: lead 2, vowel and tail 0
    expect(stringWidth('👍🏽')).toBe(2);
  });

  it('wraps by columns, not code units, and never splits a grapheme', () => {
    const lines = wrap('여권을 빼앗겼어요. 월급을 받지 못했습니다.', 12);
    for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(12);
    expect(lines.join(' ')).toBe('여권을 빼앗겼어요. 월급을 받지 못했습니다.');
    expect(wrap('가나다라마바사', 5)).toEqual(['가나', '다라', '마바', '사']);
    expect(wrap('one\n\ntwo', 10)).toEqual(['one', '', 'two']);
  });

  it('pads and truncates to a display width', () => {
    expect(padEnd('여권', 6)).toBe('여권  ');
    expect(truncate('여권을 빼앗겼어요', 7)).toBe('여권을…');
    expect(stringWidth(truncate('여권을 빼앗겼어요', 7))).toBeLessThanOrEqual(7);
  });
});

describe('console rendering: layouts', () => {
  it('aligns table columns that hold Korean', () => {
    const out = renderTable(
      [
        { a: '여권', b: 'x' },
        { a: 'ab', b: 'y' },
      ],
      [
        { header: 'A', value: (r) => r.a },
        { header: 'B', value: (r) => r.b },
      ],
    ).split('\n');
    const col = (line: string) => stringWidth(line.slice(0, line.lastIndexOf(' ') + 1));
    expect(out.map(col)).toEqual([6, 6, 6]);
  });

  it('puts the original and the translation side by side with the gutter in one column', () => {
    const out = sideBySide(
      {
        title: 'Original (ko)',
        text: '여권을 빼앗겼어요. 월급을 받지 못했습니다. 고용주가 매일 감시했습니다.',
      },
      { title: 'Translation (en)', text: 'They took my passport. I was not paid my wages.' },
      60,
    ).split('\n');
    const gutter = out.map((l) => stringWidth(l.slice(0, l.indexOf('│'))));
    expect(new Set(gutter)).toEqual(new Set([29]));
    expect(out.length).toBeGreaterThan(3);
    expect(out[2]).toContain('여권을');
    expect(out[2]).toContain('They took');
  });
});

describe('console rendering: questionnaire answers', () => {
  it('shows each question in its own words and chosen options by their labels', () => {
    const text = answerLines(
      {
        housing: 'shipping_container',
        surveillance: ['group_of_five', 'phone_checks'],
        passport_held: true,
        hours_per_day: 14,
        country: '러시아',
      },
      100,
    ).join('\n');
    expect(text).toMatch(/^ {2}Where did you sleep\? \(housing\)\n {6}\S.*container/im);
    expect(text).not.toContain('shipping_container');
    expect(text).toMatch(/\(surveillance\)\n {6}.+; .+/);
    expect(text).not.toContain('group_of_five');
    expect(text).toMatch(/keep your passport or ID\? \(passport_held\)\n {6}yes$/m);
    expect(text).toMatch(/\(hours_per_day\)\n {6}14$/m);
    // An id the questionnaire does not know is shown as it came.
    expect(text).toMatch(/^ {2}country\n {6}러시아$/m);
  });
});
