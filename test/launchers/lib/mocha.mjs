// Runs the compiled mocha suites of one tier in this Node process (unit, protocol).
import Mocha from 'mocha';
import { join, relative } from 'node:path';
import { findFiles, repoRoot, summaryLine } from './common.mjs';

/**
 * Runs every `*.test.js` under `dist/test/<tier>/` with the spec reporter and prints
 * `N passed, N failed`. Resolves with the process exit code (0 only when something ran and all passed).
 */
export async function runTier(tier, { timeoutMs = 20000 } = {}) {
  process.chdir(repoRoot); // suites read fixtures by paths relative to the repo root
  const dir = join(repoRoot, 'dist', 'test', tier);
  const files = findFiles(dir, '.test.js');
  if (files.length === 0) {
    console.error(`No ${tier} tests found under ${relative(repoRoot, dir)}/; run \`npm run build\` first.`);
    console.log(summaryLine(0, 1));
    return 1;
  }
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: timeoutMs, color: process.stdout.isTTY });
  for (const file of files) mocha.addFile(file);
  let passed = 0;
  let failed = 0;
  try {
    await mocha.loadFilesAsync();
    await new Promise((resolveRun) => {
      const runner = mocha.run(() => resolveRun());
      runner.on('pass', () => passed++);
      // Also counts failing hooks, which would otherwise hide the tests they skip.
      runner.on('fail', () => failed++);
    });
  } catch (error) {
    console.error(`Could not load the ${tier} suites:`, error);
    failed++;
  }
  console.log(summaryLine(passed, failed));
  return failed === 0 ? 0 : 1;
}
