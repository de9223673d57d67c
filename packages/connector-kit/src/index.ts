export * from './contract.ts';
export * from './drain-queue.ts';
export * from './edits.ts';
export { isNotable, judgeUpload, type UploadVerdict } from './judge-upload.ts';
export * from './send-transaction.ts';
export * from './send-transactions.ts';
