export * from './blob-store';
export { appendChunked } from './chunked-append';
export { createBlobStore, type BlobStoreConfig } from './create-blob-store';
export { createPostgresBlobStore } from './postgres-blob-store';
export { createS3BlobStore, type S3BlobStore } from './s3-blob-store';
export { s3Target, type S3Config, type S3Target } from './s3-client';
export * from './upload.repository';
