// What a clean media file's report says was kept.

export const KEPT = 'audio and video streams, copied without re-encoding';
export const TRANSCODED =
  'audio and video, transcoded to H.264/AAC in MP4 (its frames could not be inspected)';

export const LOSSLESS =
  'audio re-encoded losslessly (the same samples), without what lay between frames';

export const XING_KEPT = 'Xing/LAME header (frame count, seek table, encoder delay and padding)';
