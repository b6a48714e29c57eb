// The media wing's face: what the rest of the worker uses of it (see MEDIA.md).

export { MediaSanitiser } from './media.sanitiser';
export { MediaStreamSanitiser, type ByteSink, type StreamedResult } from './media.stream';
export { detectionLength, streamableFormat } from './stream-detect';
export type { StreamedFormat } from './formats';
