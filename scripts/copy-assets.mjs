// The build compiles TypeScript only; the modules' SDL files are read at run time, so copy them beside the JS.
// The explorer's page script is bundled from its source when first asked for (src/server/explorer/explorer-assets.ts).
import { cpSync } from 'node:fs';

cpSync('src/modules', 'dist/modules', { recursive: true, filter: (source) => !/\.ts$/.test(source) });
cpSync('src/server/explorer/browser', 'dist/server/explorer/browser', { recursive: true });
