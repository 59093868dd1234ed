#!/usr/bin/env node
// `npm run test:unit`: the plain-Node suites bundled to dist/test/unit/ (run `npm run build` first).
import { runTier } from './launchers/lib/mocha.mjs';

process.exit(await runTier('unit', { timeoutMs: 10000 })); // exit even if a suite leaked a handle
