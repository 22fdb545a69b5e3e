// `npm start`: the server from .build/ (scripts/start-build.mjs: the server bundled, beside a
// JavaScript copy of src/), brought up to date first. Running the sources through tsx's loader took
// about 0.5 s more to import the server, and the bundle another 0.3–0.5 s less (BENCHMARKS.md,
// start-up and the second start); `npm run dev` still runs them under tsx watch.
import './development-env.mjs';
import { ensureStartBuild } from './start-build.mjs';

const entry = await ensureStartBuild();
// Stack traces point at the TypeScript sources.
process.setSourceMapsEnabled(true);
await import(entry);
