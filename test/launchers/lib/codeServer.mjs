// One code-server (VS Code 1.100.3 for the browser) plus a headless Debian Chromium, for the
// integration and UI tiers. See ../install-code-server.sh and the offline-tests reference recipe.
//
// Everything a run creates lives in one temp folder (workspace copy, user data, extensions, logs,
// results), and every process it starts is stopped by `dispose()`, which also runs on SIGINT,
// SIGTERM and uncaught errors.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';
import { copyTestWorkspace, killPids, killProcessGroup, processesMentioning, repoRoot } from './common.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
export const codeServerDir =
  process.env.WAFERSCOPE_CODE_SERVER_DIR ?? join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const codeServerEntry = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without these Chromium keeps trying to reach the internet (updates, sync, QUIC probes). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Quiet, deterministic workbench: no welcome page, no trust prompt, no update or telemetry traffic. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
};

const verbose = Boolean(process.env.WAFERSCOPE_VERBOSE);

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/**
 * Debian packages the VS Code tiers need. Throws one message naming every missing package, so a
 * fresh machine needs one `apt-get install` and not three rounds of trial and error.
 */
export function checkPrerequisites() {
  const missing = [];
  if (!existsSync(chromiumPath)) missing.push(['chromium', `no browser at ${chromiumPath} (or set CHROMIUM_PATH)`]);
  if (!onPath('rg')) missing.push(['ripgrep', 'no `rg` on PATH']);
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/gssapi.h')) {
    missing.push(['libkrb5-dev', 'no gssapi headers (a native module of VS Code builds against them)']);
  }
  if (missing.length > 0) {
    const lines = missing.map(([pkg, why]) => `  ${pkg}: ${why}`);
    const packages = missing.map(([pkg]) => pkg).join(' ');
    throw new Error(
      `Missing system packages for the VS Code test tiers:\n${lines.join('\n')}\n` +
        `Install them with: sudo apt-get install -y ${packages}`,
    );
  }
}

/** Installs code-server into the cache once (no-op when it is there). */
export function ensureCodeServer() {
  if (existsSync(codeServerEntry) && existsSync(join(codeServerDir, '.installed'))) return;
  console.log(`Installing code-server ${CODE_SERVER_VERSION} into ${codeServerDir} (once) ...`);
  const installed = spawnSync('bash', [join(repoRoot, 'test', 'launchers', 'install-code-server.sh')], {
    stdio: 'inherit',
    env: { ...process.env, WAFERSCOPE_CODE_SERVER_DIR: codeServerDir },
  });
  if (installed.status !== 0 || !existsSync(codeServerEntry)) {
    throw new Error(`code-server install failed (exit ${installed.status}); see the output above`);
  }
}

/** The workbench URL that loads our extension (and optionally a test suite) into the remote host. */
export function workbenchUrl({ port, folder, extensionDevelopmentPath = repoRoot, extensionTestsPath }) {
  const authority = `127.0.0.1:${port}`;
  const url = `http://${authority}/?folder=${encodeURIComponent(folder)}`;
  // null: no development extension, only what is installed in the session's extensions folder.
  if (extensionDevelopmentPath === null) return url;
  const payload = [['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`]);
  return `${url}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Resolves with the first line of `stream` that matches `pattern` (its match), or rejects on `failure`. */
function firstMatch(stream, pattern, failure) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      const match = pattern.exec(buffered);
      if (match) {
        stream.off('data', onData);
        resolve(match);
      } else if (buffered.length > 1 << 16) {
        buffered = buffered.slice(-1024);
      }
    };
    stream.on('data', onData);
    failure.then((error) => {
      stream.off('data', onData);
      reject(error);
    });
  });
}

function timeout(ms, message) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  promise.cancel = () => clearTimeout(timer);
  return promise;
}

export class CodeServerSession {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  server;
  /** @type {import('playwright-core').Browser | undefined} */
  browser;
  port = 0;
  disposed = false;
  /** @type {Promise<void> | undefined} */
  disposing;

  constructor({ label }) {
    this.runDir = mkdtempSync(join(tmpdir(), `waferscope-${label}-`));
    this.workspace = join(this.runDir, 'workspace');
    this.userDataDir = join(this.runDir, 'user-data');
    this.extensionsDir = join(this.runDir, 'extensions');
    this.resultsFile = join(this.runDir, 'results.json');
    this.serverLog = join(this.runDir, 'code-server.log');
    this.browserLog = join(this.runDir, 'browser-console.log');
    this.onSignal = (signal) => {
      console.error(`\n${signal}: stopping code-server and Chromium ...`);
      this.dispose().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /**
   * Prerequisites, install, a fresh copy of test/workspace (plus examples/1t when it exists), then
   * code-server listening on a port the OS picks. Resolves once it serves HTTP.
   */
  async start({ env = {}, startTimeoutMs = 60000, settings = {}, installExtension, workspaceTrust = false } = {}) {
    checkPrerequisites();
    ensureCodeServer();
    copyTestWorkspace(this.workspace);
    mkdirSync(join(this.userDataDir, 'User'), { recursive: true });
    const userSettings = { ...USER_SETTINGS, ...settings };
    writeFileSync(join(this.userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
    mkdirSync(this.extensionsDir, { recursive: true });
    if (installExtension) this.installExtension(installExtension);
    // Its own config file, so code-server does not write one into the user's home.
    const config = join(this.runDir, 'code-server.yaml');
    writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');

    const args = [
      codeServerEntry,
      '--config', config,
      '--auth', 'none',
      '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--user-data-dir', this.userDataDir,
      '--extensions-dir', this.extensionsDir,
      this.workspace,
    ];
    // detached: its own process group, so one kill reaches the file watcher and extension hosts too.
    this.server = spawn(process.execPath, args, {
      cwd: this.runDir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.privateDirs(), ...env },
    });
    const log = createWriteStream(this.serverLog);
    for (const stream of [this.server.stdout, this.server.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        log.write(chunk);
        if (verbose) process.stderr.write(`[code-server] ${chunk}`);
      });
    }
    const exitedEarly = new Promise((resolve) => {
      this.server.once('exit', (code, signal) =>
        resolve(new Error(`code-server exited (code ${code}, signal ${signal}) before listening; log: ${this.serverLog}`)),
      );
      this.server.once('error', resolve);
    });
    const deadline = Date.now() + startTimeoutMs;
    const limit = timeout(startTimeoutMs, `code-server did not listen within ${startTimeoutMs} ms; log: ${this.serverLog}`);
    try {
      const match = await Promise.race([
        firstMatch(this.server.stdout, /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/, exitedEarly),
        limit,
      ]);
      this.port = Number(match[1]);
      await this.waitForHttp(deadline);
    } finally {
      limit.cancel();
    }
    return this;
  }

  /**
   * `code-server --install-extension <vsix>` into this session's (fresh) extensions and user-data
   * folders, as a person installs a downloaded package. Throws with code-server's output on failure.
   */
  installExtension(vsix) {
    const installed = spawnSync(
      process.execPath,
      [codeServerEntry, '--extensions-dir', this.extensionsDir, '--user-data-dir', this.userDataDir, '--install-extension', vsix],
      { cwd: this.runDir, encoding: 'utf8', env: { ...process.env, ...this.privateDirs() }, timeout: 120000 },
    );
    const output = `${installed.stdout ?? ''}${installed.stderr ?? ''}`;
    if (installed.status !== 0 || !/successfully installed/i.test(output)) {
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${installed.status}):\n${output.trim()}`);
    }
    return output;
  }

  /** The server prints "listening" before its routes are ready; the health endpoint says when. */
  async waitForHttp(deadline) {
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        if (response.ok) return;
      } catch {
        // not accepting yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`code-server on port ${this.port} did not answer /healthz in time; log: ${this.serverLog}`);
  }

  /**
   * Config, data and cache folders inside the run folder: code-server (logs, heartbeat) and
   * Chromium (crash reports, dconf) otherwise write into the user's home on every run.
   */
  privateDirs() {
    const dirs = {
      XDG_CONFIG_HOME: join(this.runDir, 'xdg', 'config'),
      XDG_DATA_HOME: join(this.runDir, 'xdg', 'data'),
      XDG_CACHE_HOME: join(this.runDir, 'xdg', 'cache'),
    };
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    return dirs;
  }

  async launchBrowser() {
    this.browser = await chromium.launch({
      executablePath: chromiumPath,
      env: { ...process.env, ...this.privateDirs() },
      headless: true,
      args: CHROMIUM_ARGS,
      // We stop the browser ourselves, together with code-server.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    return this.browser;
  }

  /** A new page on the workbench, its console copied to browser-console.log (and stderr if verbose). */
  async openWorkbench({ extensionDevelopmentPath = repoRoot, extensionTestsPath, viewport = { width: 1400, height: 900 } } = {}) {
    const browser = this.browser ?? (await this.launchBrowser());
    const page = await browser.newPage({ viewport });
    const log = createWriteStream(this.browserLog, { flags: 'a' });
    page.on('console', (message) => {
      const line = `[${message.type()}] ${message.text()}\n`;
      log.write(line);
      if (verbose) process.stderr.write(`[browser] ${line}`);
    });
    page.on('pageerror', (error) => log.write(`[pageerror] ${error.message}\n`));
    page.on('close', () => log.end());
    await page.goto(workbenchUrl({ port: this.port, folder: this.workspace, extensionDevelopmentPath, extensionTestsPath }), {
      waitUntil: 'domcontentloaded',
    });
    return page;
  }

  /** Stops Chromium and every process of code-server, removes the temp folder. Idempotent. */
  dispose(options) {
    // A signal and the normal path may both dispose; the second caller waits for the first.
    this.disposing ??= this.stopEverything(options);
    return this.disposing;
  }

  async stopEverything({ keepRunDir = Boolean(process.env.WAFERSCOPE_KEEP_TMP) } = {}) {
    this.disposed = true;
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    if (this.browser) {
      await Promise.race([this.browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 10000).unref())]);
    }
    if (this.server) await killProcessGroup(this.server);
    // Anything that left the group but still names our temp folder was started by this run.
    const strays = processesMentioning(this.runDir);
    if (strays.length > 0) {
      console.error(`Stopping ${strays.length} leftover process(es) of this run: ${strays.map((p) => p.pid).join(', ')}`);
      killPids(strays.map((p) => p.pid));
    }
    if (keepRunDir) console.error(`Kept ${this.runDir} (WAFERSCOPE_KEEP_TMP)`);
    else rmSync(this.runDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Runs `body(session)` with cleanup guaranteed; resolves with body's value. */
export async function withCodeServer(options, body) {
  const session = new CodeServerSession(options);
  const onFatal = (error) => {
    console.error('Unexpected error:', error);
    session.dispose().finally(() => process.exit(1));
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  try {
    return await body(session);
  } finally {
    await session.dispose();
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
  }
}
