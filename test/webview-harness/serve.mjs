#!/usr/bin/env node
/**
 * A tiny static server for the webview harness: the panel's bundle and stylesheet from the repo,
 * the harness page, its fake host and the JSON fixtures, all under the same CSP the extension sets
 * on the real panel. Used for screenshots and the heatmap bench outside VS Code.
 *
 *   node test/webview-harness/serve.mjs [--port 8123] [--webview path/to/webview.js]
 *
 * The bundle defaults to dist/webview.js; pass another (the bench builds its own) with --webview.
 * Fixtures are generated on first use when the folder is empty.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

export const HARNESS_CSP =
  "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; connect-src 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Starts the server; resolves with its URL and a close function. Port 0 picks a free port. */
export async function startHarness({ port = 0, host = '127.0.0.1', webviewJs = join(repo, 'dist/webview.js'), fixtures = join(here, 'fixtures') } = {}) {
  if (!existsSync(fixtures) || !readdirSync(fixtures).some((f) => f.startsWith('result-'))) {
    const { makeFixtures } = await import('./make-fixtures.mjs');
    await makeFixtures({ out: fixtures, quiet: true });
  }
  const routes = new Map([
    ['/', join(here, 'index.html')],
    ['/index.html', join(here, 'index.html')],
    ['/harness/harness.css', join(here, 'harness.css')],
    ['/harness/fake-vscode.js', join(here, 'fake-vscode.js')],
    ['/media/panel.css', join(repo, 'media/panel.css')],
    ['/dist/webview.js', webviewJs],
  ]);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (path === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    let file = routes.get(path);
    // Fixture names only: letters, digits and dashes, no path separators.
    const fixture = /^\/fixtures\/([a-z0-9-]+\.json)$/i.exec(path);
    if (!file && fixture) file = join(fixtures, fixture[1]);
    if (request.method !== 'GET' || !file || !existsSync(file)) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }
    const extension = file.slice(file.lastIndexOf('.'));
    response.writeHead(200, {
      'content-type': TYPES[extension] ?? 'application/octet-stream',
      'content-security-policy': HARNESS_CSP,
      'cache-control': 'no-store',
    });
    response.end(readFileSync(file));
  });
  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolveListen);
  });
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : port}/`;
  return {
    url,
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const harness = await startHarness({
    port: Number(value('--port') ?? 8123),
    webviewJs: value('--webview') ? resolve(value('--webview')) : undefined,
  });
  console.log(`WaferScope webview harness: ${harness.url}`);
}
