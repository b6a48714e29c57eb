export * from './blob-store';
export { appendChunked } from './chunked-append';
export { createPostgresBlobStore } from './postgres-blob-store';
export * from './upload.repository';
