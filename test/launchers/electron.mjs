#!/usr/bin/env node
// `npm run test:electron`: the same integration suite as test:codeserver, in desktop VS Code
// (Electron) through @vscode/test-electron. It needs a VS Code build: VSCODE_EXECUTABLE points at an
// installed one, otherwise one is downloaded (VSCODE_TEST_VERSION, default 1.100.3: the oldest
// version package.json's engines allows, and the one code-server runs). Without internet the
// download fails; the offline launcher is `npm run test:codeserver`.
//
// On Linux without a display it re-runs itself under `xvfb-run` when that is installed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { copyTestWorkspace, repoRoot, summaryLine } from './lib/common.mjs';
import { USER_SETTINGS } from './lib/codeServer.mjs';
import { printResults, readResults } from './lib/results.mjs';

const VERSION = process.env.VSCODE_TEST_VERSION ?? '1.100.3';
const DOWNLOAD_IDLE_TIMEOUT_MS = 30000;

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Re-executes this script under xvfb-run; resolves with its exit code. */
function underXvfb() {
  const child = spawn('xvfb-run', ['-a', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, WAFERSCOPE_UNDER_XVFB: '1' },
  });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function vscodeExecutable() {
  if (process.env.VSCODE_EXECUTABLE) return process.env.VSCODE_EXECUTABLE;
  try {
    return await downloadAndUnzipVSCode({
      version: VERSION,
      cachePath: join(repoRoot, '.vscode-test'),
      timeout: DOWNLOAD_IDLE_TIMEOUT_MS,
    });
  } catch (error) {
    console.error(
      `Could not download VS Code ${VERSION} (${error.message}).\n` +
        'This machine probably has no route to the VS Code download servers. Either set VSCODE_EXECUTABLE\n' +
        'to an installed VS Code (the `code` binary), or run the same suite offline in code-server with:\n' +
        '  npm run test:codeserver',
    );
    return undefined;
  }
}

async function main() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.WAFERSCOPE_UNDER_XVFB) {
    if (hasCommand('xvfb-run')) return underXvfb();
    console.error('No display and no xvfb-run; install it with: sudo apt-get install -y xvfb');
    console.log(summaryLine(0, 1));
    return 1;
  }
  const executable = await vscodeExecutable();
  if (!executable) {
    console.log(summaryLine(0, 1));
    return 1;
  }
  const runDir = mkdtempSync(join(tmpdir(), 'waferscope-electron-'));
  const workspace = join(runDir, 'workspace');
  const userDataDir = join(runDir, 'user-data');
  const resultsFile = join(runDir, 'results.json');
  try {
    copyTestWorkspace(workspace);
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    let exitCode;
    try {
      exitCode = await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: join(repoRoot, 'dist', 'test', 'integration', 'index.js'),
        extensionTestsEnv: { WAFERSCOPE_TEST_RESULTS: resultsFile },
        launchArgs: [
          workspace,
          '--user-data-dir', userDataDir,
          '--extensions-dir', join(runDir, 'extensions'),
          '--disable-extensions',
        ],
      });
    } catch (error) {
      // runTests rejects when VS Code exits non-zero, which is also how a failing suite ends.
      console.error(`VS Code ended with: ${error.message}`);
      exitCode = 1;
    }
    const results = readResults(resultsFile);
    if (!results) {
      console.error('The suite wrote no results (did VS Code start? is dist/ built?)');
      console.log(summaryLine(0, 1));
      return 1;
    }
    const { passed, failed } = printResults(results);
    console.log(summaryLine(passed, failed));
    return failed === 0 && passed > 0 && exitCode === 0 ? 0 : 1;
  } finally {
    rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

process.exit(await main());
