// Development entry of the sealing worker (tests, `npm run bench`, tsx): registers tsx's loader
// in this thread, then runs the TypeScript entry. The built app runs out/main/sealing-worker.js.
import { register } from 'tsx/esm/api';
register();
await import('./worker-entry.ts');
