/** Writes .env.example from the configuration slices (src/config/), so that it lists exactly what the server parses. */
import { writeFileSync } from 'node:fs';
import { CONFIG_SLICES } from '../src/config.js';
import { renderEnvExample } from '../src/config/env-example.js';

writeFileSync(new URL('../.env.example', import.meta.url), renderEnvExample(CONFIG_SLICES));
