export { createUploadCleanup } from './upload-cleanup';
export { createUploadService, type UploadConfig, type UploadService } from './upload.service';
export { uploadsRouter } from './uploads.route';
