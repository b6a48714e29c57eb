// What exiftool may still read in a remuxed file: structure, codec parameters, duration. The
// QuickTime date fields stay present but hold zero (ffmpeg writes 0 under +bitexact).
export const STRUCTURAL = [
  /^File:ID3Size$/,
  /^MPEG:(MPEGAudioVersion|AudioLayer|AudioBitrate|SampleRate|ChannelMode|ModeExtension)$/,
  /^MPEG:(MSStereo|IntensityStereo|CopyrightFlag|OriginalMedia|Emphasis|VBRFrames|VBRBytes)$/,
  // Read from the LAME header, whose version the native remux cuts to the family ('LAME').
  /^MPEG:Encoder$/,
  /^MPEG:VBRScale$/, // the Xing header's quality figure (0–100), in every VBR file
  /^Composite:AudioBitrate$/, // derived from the frames
  /^QuickTime:(MovieHeaderVersion|CreateDate|ModifyDate|TimeScale|Duration|PreferredRate)$/,
  /^QuickTime:(PreferredVolume|MatrixStructure|PreviewTime|PreviewDuration|PosterTime)$/,
  /^QuickTime:(SelectionTime|SelectionDuration|CurrentTime|NextTrackID|HandlerVendorID)$/,
  /^QuickTime:(Free|Wide|MediaData|MediaDataSize|MediaDataOffset)$/, // boxes ffmpeg writes empty
  // Sample tables and codec configuration, rebuilt by the muxer from the copied packets.
  /^QuickTime:Track\d+:(ChunkOffset|ChunkOffset64|SampleSizes|SampleToChunk|SampleToGroup)$/,
  /^QuickTime:Track\d+:(SampleGroupDescription|TimeToSampleTable|SyncSampleTable)$/,
  /^QuickTime:Track\d+:(CompositionTimeToSample|CompositionToDecodeTimelineMapping)$/,
  /^QuickTime:Track\d+:(SampleDependencyTypes|PartialSyncSamples|AVCConfiguration)$/,
  // The sdtp box (per-sample dependency flags; ExifTool spells it this way), as in HEVC files.
  /^QuickTime:Track\d+:IdependentAndDisposableSamples$/,
  /^QuickTime:Track\d+:Unknown_(edts|esds|mp4a|d263|damr|hvcC|btrt|dOps|dac3|dec3|chan|wave|alac)$/,
  /^QuickTime:Track\d+:(HandlerClass|VendorID|VideoFieldOrder|LayoutFlags|PurchaseFileFormat)$/,
  /^QuickTime:Track\d+:(HEVCConfigurationVersion|GeneralProfileSpace|GeneralTierFlag)$/,
  /^QuickTime:Track\d+:(GeneralProfileIDC|GenProfileCompatibilityFlags|ConstraintIndicatorFlags)$/,
  /^QuickTime:Track\d+:(GeneralLevelIDC|MinSpatialSegmentationIDC|ParallelismType|ChromaFormat)$/,
  /^QuickTime:Track\d+:(BitDepthLuma|BitDepthChroma|AverageFrameRate|ConstantFrameRate)$/,
  /^QuickTime:Track\d+:(NumTemporalLayers|TemporalIDNested)$/,
  /^QuickTime:Track\d+:(TrackHeaderVersion|TrackCreateDate|TrackModifyDate|TrackID)$/,
  /^QuickTime:Track\d+:(TrackDuration|TrackLayer|TrackVolume|MatrixStructure|Balance)$/,
  /^QuickTime:Track\d+:(MediaHeaderVersion|MediaCreateDate|MediaModifyDate|MediaTimeScale)$/,
  /^QuickTime:Track\d+:(MediaDuration|MediaLanguageCode|HandlerType|HandlerClass)$/,
  /^QuickTime:Track\d+:HandlerDescription$/,
  /^QuickTime:Track\d+:(AudioFormat|AudioChannels|AudioBitsPerSample|AudioSampleRate)$/,
  /^QuickTime:Track\d+:(ImageWidth|ImageHeight|GraphicsMode|OpColor|CompressorID|BitDepth)$/,
  /^QuickTime:Track\d+:(SourceImageWidth|SourceImageHeight|XResolution|YResolution)$/,
  /^QuickTime:Track\d+:(PixelAspectRatio|BufferSize|MaxBitrate|AverageBitrate|VideoFrameRate)$/,
  /^QuickTime:Track\d+:(CleanApertureDimensions|ProductionApertureDimensions|EncodedPixelsDimensions)$/,
  /^QuickTime:Track\d+:(ColorRepresentation|ColorPrimaries|TransferCharacteristics)$/,
  /^QuickTime:Track\d+:(MatrixCoefficients|VideoFullRangeFlag|GenMediaVersion|GenFlags)$/,
  /^QuickTime:Track\d+:(GenGraphicsMode|GenOpColor|GenBalance)$/,
  /^Composite:(Rotation)$/,
  // Read by -ee3 from an H.264 sequence parameter set sent in-band (joined or re-muxed
  // streams): the coded size. Camera data in H.264 (AVCHD's MDPM dates, GPS) stays refused.
  /^H264:Track\d+:(ImageWidth|ImageHeight)$/,
  /^RIFF:(Encoding|NumChannels|SampleRate|AvgBytesPerSec|BitsPerSample)$/,
  /^Vorbis:(VorbisVersion|AudioChannels|SampleRate|NominalBitrate|MaximumBitrate)$/,
  /^Vorbis:(MinimumBitrate|Vendor)$/, // the vendor string is ffmpeg's own under +bitexact
  /^Opus:(OpusVersion|AudioChannels|SampleRate|OutputGain)$/,
  /^FLAC:(BlockSizeMin|BlockSizeMax|FrameSizeMin|FrameSizeMax|SampleRate|Channels)$/,
  /^FLAC:(BitsPerSample|TotalSamples|MD5Signature)$/,
  /^FLAC:SeekTable$/, // seek points: sample numbers and byte offsets, kept by the native remux
  /^AIFF:(NumChannels|NumSampleFrames|SampleSize|SampleRate|FormatVersionTime|CompressionType)$/,
  /^AIFF:CompressorName$/, // the codec's name ("not compressed"), from the COMM chunk
  /^FLAC:Padding$/, // the zero-filled block ffmpeg's FLAC muxer always writes
];

// A transcoded file was written from decoded frames: its compressor name is the encoder's own
// ("Lavc libx264"), never one copied from the source's camera.
export const TRANSCODED_TAGS = [...STRUCTURAL, /^QuickTime:Track\d+:CompressorName$/];
