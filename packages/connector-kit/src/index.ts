export * from './contract.ts';
export * from './edits.ts';
export { judgeUpload, type UploadVerdict } from './judge-upload.ts';
export * from './send-transaction.ts';
