#!/usr/bin/env node
// `npm run test:codeserver`: the integration suite (dist/test/integration/) inside a real VS Code
// 1.100.3 that installs without internet: code-server, opened by headless Debian Chromium, with
// our extension loaded as a development extension and the suite as extensionTestsPath.
//
// The suite runs in code-server's extension host, which inherits this launcher's
// WAFERSCOPE_TEST_RESULTS through the server; it writes its outcome there and we wait for that file.
//
// Overrides (for debugging the launcher itself): WAFERSCOPE_EXTENSION_PATH, WAFERSCOPE_SUITE_PATH,
// WAFERSCOPE_TEST_TIMEOUT_MS (default 300000), WAFERSCOPE_VERBOSE=1 (stream server and browser
// logs), WAFERSCOPE_KEEP_TMP=1 (keep the run folder).
import { existsSync, watch } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { repoRoot, summaryLine } from './lib/common.mjs';
import { withCodeServer } from './lib/codeServer.mjs';
import { printResults, readResults, tail } from './lib/results.mjs';

const extensionPath = resolve(process.env.WAFERSCOPE_EXTENSION_PATH ?? repoRoot);
const suitePath = resolve(process.env.WAFERSCOPE_SUITE_PATH ?? join(repoRoot, 'dist', 'test', 'integration', 'index.js'));
const timeoutMs = Number(process.env.WAFERSCOPE_TEST_TIMEOUT_MS ?? 300000);

/** Resolves with the parsed results file once it appears; rejects on timeout or a dead server/page. */
function waitForResults(session, page) {
  const file = session.resultsFile;
  return new Promise((resolveResults, reject) => {
    // The suite renames its finished file into place, so the watcher sees it appear whole.
    const watcher = watch(dirname(file), (_event, name) => {
      if (name === null || name === basename(file)) check();
    });
    const finish = (error, value) => {
      clearTimeout(timer);
      watcher.close();
      session.server.off('exit', onServerExit);
      page.off('crash', onCrash);
      if (error) reject(error);
      else resolveResults(value);
    };
    const check = () => {
      if (!existsSync(file)) return;
      try {
        finish(undefined, readResults(file));
      } catch (error) {
        finish(new Error(`unreadable results file ${file}: ${error.message}`));
      }
    };
    const onServerExit = (code, signal) => finish(new Error(`code-server exited (code ${code}, signal ${signal}) before the suite finished`));
    const onCrash = () => finish(new Error('the browser page crashed before the suite finished'));
    const timer = setTimeout(
      () => finish(new Error(`no results after ${Math.round(timeoutMs / 1000)} s (did the suite start? is dist/ built?)`)),
      timeoutMs,
    );
    session.server.once('exit', onServerExit);
    page.once('crash', onCrash);
    check();
  });
}

async function main() {
  for (const [what, path] of [
    ['the extension manifest', join(extensionPath, 'package.json')],
    ['the compiled integration suite', suitePath],
  ]) {
    if (!existsSync(path)) {
      console.error(`Missing ${what}: ${path}\nRun \`npm run build\` first.`);
      console.log(summaryLine(0, 1));
      return 1;
    }
  }
  return withCodeServer({ label: 'integration' }, async (session) => {
    try {
      await session.start({ env: { WAFERSCOPE_TEST_RESULTS: session.resultsFile } });
      console.log(`code-server on port ${session.port}, workspace ${session.workspace}`);
      const page = await session.openWorkbench({ extensionDevelopmentPath: extensionPath, extensionTestsPath: suitePath });
      const results = await waitForResults(session, page);
      const { passed, failed } = printResults(results);
      console.log(summaryLine(passed, failed));
      return failed === 0 && passed > 0 ? 0 : 1;
    } catch (error) {
      if (session.disposed) return 1; // interrupted: the signal handler reports and exits
      console.error(`\nIntegration run failed: ${error.message}`);
      for (const [what, file] of [['code-server log', session.serverLog], ['browser console', session.browserLog]]) {
        if (existsSync(file)) console.error(`--- ${what} (last lines) ---\n${tail(file)}`);
      }
      console.log(summaryLine(0, 1));
      return 1;
    }
  });
}

process.exit(await main());
