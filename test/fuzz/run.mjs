#!/usr/bin/env node
// `npm run fuzz`: builds, then fuzzes the language server through the protocol (test/fuzz/main.ts).
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../launchers/lib/common.mjs';

const build = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(process.execPath, ['dist/test/fuzz/main.js', ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
process.exit(run.status ?? 1);
