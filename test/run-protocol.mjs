#!/usr/bin/env node
// `npm run test:protocol`: the language server driven over stdio by a real LSP client
// (dist/test/protocol/; needs dist/server.js, so run `npm run build` first).
import { runTier } from './launchers/lib/mocha.mjs';

// Each test starts a server process; allow for a slow machine without hiding a hang.
process.exit(await runTier('protocol', { timeoutMs: 30000 })); // exit even if a suite leaked a handle
