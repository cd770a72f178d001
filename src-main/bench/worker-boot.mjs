// Worker entry: registers tsx's loader in this thread, then runs the TypeScript module named in
// workerData.module (relative to this folder).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';
register();
await import(new URL(workerData.module, import.meta.url).href);
