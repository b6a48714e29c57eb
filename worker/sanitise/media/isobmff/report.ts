import { children, heldBox, type Box, type TopBox } from './boxes';

// What the MP4-family remux drops, by kind and count, never a value (tag names too can be free
// text, an MP4 freeform key for one).

const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';

export interface Found {
  tags: number;
  cover: boolean;
  location: boolean;
  chapters: boolean;
  xmp: boolean;
  vendorBoxes: number;
  unused: number;
  encoderName: boolean;
}

export const nothingFound = (): Found => ({
  ...{ tags: 0, cover: false, location: false, chapters: false },
  ...{ xmp: false, vendorBoxes: 0, unused: 0, encoderName: false },
});

/** A dropped top-level box. One too large to be held (streaming) counts as a tag. */
export function dropTop(top: TopBox, found: Found): void {
  if (['free', 'skip', 'wide'].includes(top.type)) {
    found.unused += top.end - top.body;
    return;
  }
  const held = heldBox(top);
  if (top.type === 'uuid' && held) {
    const { b, box } = held;
    if (b.toString('hex', box.body, box.body + 16) === XMP_UUID) found.xmp = true;
    else found.vendorBoxes++;
  } else if ((top.type === 'meta' || top.type === 'udta') && held) {
    summarise(held.b, held.box, found);
  } else if (top.type === 'meta' || top.type === 'udta') {
    found.tags++;
  } else {
    found.vendorBoxes++;
  }
}

/** Counts what a udta or meta box held, for the report; an unreadable one is still dropped. */
export function summarise(b: Buffer, bx: Box, found: Found): void {
  try {
    if (bx.type === 'meta') {
      // ISO meta is a full box (4 bytes of version and flags); QuickTime's is not.
      const full = b.toString('latin1', bx.body + 4, bx.body + 8) !== 'hdlr';
      for (const c of children(b, bx, full ? 4 : 0)) {
        if (c.type === 'ilst') {
          for (const item of children(b, c)) {
            if (item.type === 'covr') found.cover = true;
            else found.tags++;
          }
        } else if (c.type === 'keys') {
          if (/location/i.test(b.toString('latin1', c.body, c.end))) found.location = true;
        } else if (c.type === 'uuid' || c.type === 'xml ') found.xmp ||= c.type === 'xml ';
      }
      return;
    }
    for (const c of children(b, bx)) {
      if (c.type === 'meta') summarise(b, c, found);
      else if (c.type === '\xa9xyz' || c.type === 'loci') {
        found.location = true;
        found.tags++;
      } else if (c.type === 'chpl') found.chapters = true;
      else if (c.type === 'XMP_') found.xmp = true;
      else if (c.type !== 'free' && c.type !== 'skip') found.tags++;
    }
  } catch {
    found.tags++;
  }
}

export function describe(f: Found, dropped: Map<string, number>, datesSet: boolean): string[] {
  const removed: string[] = [];
  if (f.tags > 0) removed.push(`container and stream tags (${f.tags})`);
  if (f.location) removed.push('location');
  if (f.cover) removed.push('cover art');
  if (f.chapters || dropped.has('chapter')) removed.push('chapters');
  if (f.xmp) removed.push('XMP');
  for (const kind of ['subtitle', 'timecode', 'data'] as const) {
    const n = dropped.get(kind);
    if (n) removed.push(`${kind} streams (${n})`);
  }
  if (datesSet) removed.push('creation and modification dates');
  if (f.encoderName) removed.push('encoder name in the video sample description');
  if (f.vendorBoxes > 0) removed.push(`other metadata boxes (${f.vendorBoxes})`);
  if (f.unused > 0) removed.push(`media data no kept track uses (${f.unused} bytes)`);
  return removed;
}
