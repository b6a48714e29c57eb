import { readAllTags, withTmpFile, type RawTags } from './exiftool';
import type { SanitiseContext } from './types';

// What may remain in a clean file: tags that describe the container and the pixels/samples,
// never who, where, when or with what; anything unmatched fails. Keys are exiftool's -G0:1 names.
const ALLOWED: readonly RegExp[] = [
  /^SourceFile$/,
  /^ExifTool:(ExifToolVersion|Warning)$/, // warnings name a problem, never a value
  /^File:System:/, // our own tmpfs copy: name, size, dates of the write we just did
  /^File:(FileType|FileTypeExtension|MIMEType|ExifByteOrder|ImageWidth|ImageHeight)$/,
  /^File:(EncodingProcess|BitsPerSample|ColorComponents|YCbCrSubSampling)$/,
  /^Composite:(ImageSize|Megapixels|Duration|AvgBitrate)$/,
  /^JFIF:(JFIFVersion|ResolutionUnit|XResolution|YResolution)$/,
  /^PNG:(ImageWidth|ImageHeight|BitDepth|ColorType|Compression|Filter|Interlace)$/,
  /^PNG:(SRGBRendering|Gamma|Palette|Transparency|BackgroundColor|AnimationFrames|AnimationPlays)$/,
  /^PNG:PNG-pHYs:(PixelsPerUnitX|PixelsPerUnitY|PixelUnits)$/,
  /^RIFF:(WebP_Flags|ImageWidth|ImageHeight|VP8Version|HorizontalScale|VerticalScale)$/,
  /^RIFF:(AlphaPreprocessing|AlphaFiltering|AlphaCompression|BackgroundColor|AnimationLoopCount)$/,
  /^RIFF:(Duration|FrameCount)$/,
  /^GIF:(GIFVersion|ImageWidth|ImageHeight|HasColorMap|ColorResolutionDepth|BitsPerPixel)$/,
  /^GIF:(BackgroundColor|TransparentColor|AnimationIterations|FrameCount|Duration)$/,
  // TIFF structure: IFD0, and IFD1… for further pages (strips, tiles, sample layout).
  /^EXIF:IFD\d+:(ImageWidth|ImageHeight|BitsPerSample|Compression|PhotometricInterpretation)$/,
  /^EXIF:IFD\d+:(StripOffsets|StripByteCounts|RowsPerStrip|SamplesPerPixel|PlanarConfiguration)$/,
  /^EXIF:IFD\d+:(XResolution|YResolution|ResolutionUnit|Predictor|SampleFormat|ExtraSamples)$/,
  /^EXIF:IFD\d+:(TileWidth|TileLength|TileOffsets|TileByteCounts|SubfileType|PageNumber)$/,
  /^EXIF:IFD\d+:(Orientation|YCbCrSubSampling|YCbCrPositioning|ReferenceBlackWhite|JPEGTables)$/,
  // HEIF/AVIF item structure and codec configuration.
  /^QuickTime:(MajorBrand|MinorVersion|CompatibleBrands|HandlerType|ImageSpatialExtent)$/,
  /^QuickTime:(ImagePixelDepth|AuxiliaryImageType|MediaDataSize|MediaDataOffset|MediaData)$/,
  /^QuickTime:(AV1ConfigurationVersion|SeqProfile|SeqLevelIdx0|SeqTier0|HighBitDepth|TwelveBit)$/,
  /^QuickTime:(ChromaFormat|ChromaSamplePosition|InitialDelaySamples|Rotation|ImageRotation)$/,
  /^QuickTime:(ColorProfiles|ColorPrimaries|TransferCharacteristics|MatrixCoefficients)$/,
  /^QuickTime:(VideoFullRangeFlag|HEVCConfigurationVersion|GeneralProfileSpace|GeneralTierFlag)$/,
  /^QuickTime:(GeneralProfileIDC|GenProfileCompatibilityFlags|ConstraintIndicatorFlags)$/,
  /^QuickTime:(GeneralLevelIDC|MinSpatialSegmentationIDC|ParallelismType|BitDepthLuma)$/,
  /^QuickTime:(BitDepthChroma|AverageFrameRate|ConstantFrameRate|NumTemporalLayers|TemporalIDNested)$/,
  /^QuickTime:Meta:(PrimaryItemReference|MetaImageSize)$/,
  /^PDF:(PDFVersion|Linearized|PageCount)$/,
  /^PDF:EmbeddedImage(Width|Height|ColorSpace|Filter|BitsPerComponent)?$/, // what -ee3 reads of images
];

export type VerifyResult = { ok: true } | { ok: false; leftover: string[] };

export function isAllowedTag(key: string, extraAllowed: readonly RegExp[] = []): boolean {
  return ALLOWED.some((re) => re.test(key)) || extraAllowed.some((re) => re.test(key));
}

/**
 * Re-reads a sanitised output with exiftool (`-a -G0:1 -ee3 -u`) and lists every tag outside the
 * allowlist — by name only, never value, so the result can go in reports and logs.
 */
export async function verifyClean(
  data: Buffer,
  ext: string,
  ctx: SanitiseContext,
  extraAllowed: readonly RegExp[] = [],
): Promise<VerifyResult> {
  const tags = await withTmpFile(ctx, data, ext, readAllTags);
  if ('ExifTool:Error' in tags) return { ok: false, leftover: ['ExifTool:Error'] };
  const leftover = Object.keys(tags).filter((key) => !isAllowedTag(key, extraAllowed));
  return leftover.length === 0 ? { ok: true } : { ok: false, leftover };
}

/** Human-readable names of the metadata an input carries (for the report) — never values. */
export function describeMetadata(tags: RawTags, extraAllowed: readonly RegExp[] = []): string[] {
  const names = new Set<string>();
  for (const key of Object.keys(tags)) {
    if (isAllowedTag(key, extraAllowed)) continue;
    const parts = key.split(':');
    const tag = parts[parts.length - 1] ?? '';
    const [family0, family1] = parts;
    if (family0 === 'Composite' || family0 === 'ExifTool') continue;
    if (family0 === 'File' && key !== 'File:Comment') continue; // digests, byte order: derived
    if (/^GPS/.test(tag)) names.add('GPS location');
    if (/Serial/i.test(tag)) names.add('serial numbers');
    if (/^(ThumbnailImage|PreviewImage|OtherImage)/.test(tag) || family1 === 'IFD1') {
      names.add('embedded thumbnail');
    }
    names.add(
      GROUP_NAMES[family0 ?? ''] ?? (key === 'File:Comment' ? 'comment' : `${family0} metadata`),
    );
  }
  return [...names].sort();
}

const GROUP_NAMES: Record<string, string> = {
  EXIF: 'EXIF',
  MakerNotes: 'maker notes',
  XMP: 'XMP',
  IPTC: 'IPTC',
  Photoshop: 'Photoshop resources',
  ICC_Profile: 'ICC profile',
  PNG: 'PNG text chunks',
  PDF: 'PDF Info dictionary',
  QuickTime: 'HEIF/QuickTime metadata',
  JFIF: 'JFIF extension',
  FlashPix: 'FlashPix',
  APP14: 'Adobe APP14',
};
