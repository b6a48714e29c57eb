// x264's settings SEI, the one user-data message let through, and only as x264 writes it
// (each option once, in its own form, at most X264_MAX bytes). See MEDIA.md.

const UUID = Buffer.from('dc45e9bde6d948b7962cd820d923eeef', 'hex');
/** The most a settings payload may be: the UUID, about 1 KiB of text and the NUL. */
export const X264_MAX = 16 + 1024 + 1;

const HEADER = new RegExp(
  '^x264 - core \\d{1,4}(?: r\\d{1,5}\\+?\\d{0,4}M? [0-9a-f]{7})? - H\\.264/MPEG-4 AVC codec - ' +
    'Copy(?:left|right) 2003-\\d{4} - http://www\\.videolan\\.org/x264\\.html - options:(.*)$',
);

const INT = '-?\\d{1,9}';
const DEC = '-?\\d{1,9}(?:\\.\\d{1,4})?';
const HEX = '(?:0x[0-9a-f]{1,8}|0)'; // printf's %#x: a bare 0 has no prefix
const pair = (a: string, sep: string, b: string): string => `${a}${sep}${b}`;

/** Each option's value, by key; a key not here is not x264's. */
const VALUES = new Map<string, RegExp>();
const grammar = (form: string, keys: string[]): void => {
  for (const k of keys) VALUES.set(k, new RegExp(`^(?:${form})$`));
};
grammar(INT, [
  ...['opencl', 'cabac', 'ref', 'subme', 'psy', 'mixed_ref', 'me_range', 'chroma_me', 'trellis'],
  ...['8x8dct', 'cqm', 'fast_pskip', 'chroma_qp_offset', 'threads', 'lookahead_threads'],
  ...['sliced_threads', 'slices', 'slices_max', 'slice_max_size', 'slice_max_mbs'],
  ...['slice_min_mbs', 'nr', 'decimate', 'mbaff', 'bluray_compat', 'stitchable'],
  ...['constrained_intra', 'bframes', 'b_pyramid', 'b_adapt', 'b_bias', 'direct', 'weightb'],
  ...['open_gop', 'weightp', 'keyint_min', 'scenecut', 'intra_refresh', 'rc_lookahead'],
  ...['mbtree', 'bitrate', 'qpmin', 'qpmax', 'qpstep', 'vbv_maxrate', 'vbv_bufsize', 'qp'],
  ...['filler', 'frame-packing', 'fake_interlaced'],
]);
grammar(DEC, ['crf', 'ratetol', 'qcomp', 'cplxblur', 'qblur', 'crf_max', 'ip_ratio', 'pb_ratio']);
grammar(`${INT}:${INT}:${INT}`, ['deblock']);
grammar(pair(HEX, ':', HEX), ['analyse']);
grammar(pair(DEC, ':', DEC), ['psy_rd']);
grammar(pair(INT, ',', INT), ['deadzone', 'cll']);
grammar(`${INT}(?::${DEC})?`, ['aq']);
grammar(`${INT},${INT},${INT},${INT}`, ['crop_rect']);
grammar(`\\d{1,9}|infinite`, ['keyint']);
grammar('dia|hex|umh|esa|tesa', ['me']);
grammar('0|tff|bff', ['interlaced']);
grammar('cqp|crf|abr|cbr|2pass', ['rc']);
grammar('none|vbr|cbr', ['nal_hrd']);
const P = `\\(${INT},${INT}\\)`;
grammar(`G${P}B${P}R${P}WP${P}L${P}`, ['mastering-display']);

/** Whether an SEI user_data_unregistered payload is x264's settings and nothing else. */
export function isX264Settings(payload: Buffer): boolean {
  if (payload.length > X264_MAX || !payload.subarray(0, 16).equals(UUID)) return false;
  const nul = payload.indexOf(0, 16);
  if (nul !== payload.length - 1) return false;
  const match = HEADER.exec(payload.toString('latin1', 16, nul));
  if (!match || !match[1]!.startsWith(' ')) return false;
  const seen = new Set<string>();
  return match[1]!
    .slice(1)
    .split(' ')
    .every((option) => {
      const eq = option.indexOf('=');
      if (eq < 1) return false;
      const key = option.slice(0, eq);
      if (seen.has(key)) return false;
      seen.add(key);
      return VALUES.get(key)?.test(option.slice(eq + 1)) === true;
    });
}
