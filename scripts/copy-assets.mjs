// The build compiles TypeScript only; the modules' SDL files are read at run time, so copy them beside the JS.
import { cpSync } from 'node:fs';

cpSync('src/modules', 'dist/modules', { recursive: true, filter: (source) => !/\.ts$/.test(source) });
