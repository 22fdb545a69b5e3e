// `npm start`: the server from .build/, the JavaScript copy of src/ (scripts/start-build.mjs),
// brought up to date first. Running the sources through tsx's loader took about 0.5 s more to
// import the server (BENCHMARKS.md, start-up); `npm run dev` still runs them under tsx watch.
import './development-env.mjs';
import { ensureStartBuild } from './start-build.mjs';

const entry = await ensureStartBuild();
// Stack traces point at the TypeScript sources.
process.setSourceMapsEnabled(true);
await import(entry);
