/**
 * The language server's life cycle over stdio, as an editor sees it: initialize, open, change,
 * diagnostics, the custom result notification, shutdown. Fixtures are real Model Zoo configs
 * from test/data; the server reads no file from disk for them (the text travels in didOpen).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri, type Diagnostic } from './lspClient';

const GPT3_XL = 'test/data/modelzoo/current/gpt3__params_gpt3_xl.yaml';

// A second mapping value on the same line (`key: value: more`) is invalid YAML; the error belongs
// to that line, which we find by searching the text rather than trusting the parser's output.
const VALID_LINE = 'hidden_size: 2048';
const BROKEN_LINE = 'hidden_size: 2048: 3';

const DOCKER_COMPOSE = [
  'services:',
  '  web:',
  '    image: nginx:1.27',
  '    ports:',
  '      - "8080:80"',
  '  db:',
  '    image: postgres:16',
  '    environment:',
  '      POSTGRES_PASSWORD: example',
  '',
].join('\n');

/** Errors and warnings; an information-level note (an assumption) does not make a config invalid. */
function problems(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter(
    (d) => d.severity === undefined || d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning,
  );
}

function lineIndexOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `fixture lost its "${needle}" line`);
  return index;
}

describe('language server over stdio', () => {
  let client: LspTestClient | undefined;

  afterEach(() => {
    client?.dispose();
    client = undefined;
  });

  it('initializes with full or incremental text sync', async () => {
    client = await LspTestClient.start();
    const sync = client.initializeResult?.capabilities.textDocumentSync;
    assert.ok(sync !== undefined, 'server announced no textDocumentSync');
    const kind = typeof sync === 'number' ? sync : sync.change;
    // 1 = Full, 2 = Incremental (LSP TextDocumentSyncKind); 0/None would mean no didChange.
    assert.ok(kind === 1 || kind === 2, `unexpected change sync kind ${kind}`);
  });

  it('publishes no errors or warnings for a valid Model Zoo config', async () => {
    client = await LspTestClient.start();
    const uri = fileUri(GPT3_XL);
    await client.open(uri, 'yaml', readFileSync(GPT3_XL, 'utf8'));
    const diagnostics = await client.waitForDiagnostics(uri);
    assert.deepEqual(problems(diagnostics), []);
    for (const d of diagnostics) assert.equal(d.source, 'waferscope');
  });

  it('reports a YAML syntax error on the line that has it, and clears it once fixed', async () => {
    client = await LspTestClient.start();
    const valid = readFileSync(GPT3_XL, 'utf8');
    assert.ok(valid.includes(VALID_LINE));
    const broken = valid.replace(VALID_LINE, BROKEN_LINE);
    const brokenLine = lineIndexOf(broken, BROKEN_LINE);
    const uri = fileUri(GPT3_XL);

    await client.open(uri, 'yaml', valid);
    await client.waitForDiagnostics(uri);

    const brokenVersion = await client.change(uri, broken);
    const diagnostics = await client.waitForDiagnostics(
      uri,
      (ds, params) => (params.version === undefined || params.version >= brokenVersion) && ds.some((d) => d.code === 'syntax'),
    );
    const syntax = diagnostics.filter((d) => d.code === 'syntax');
    assert.ok(syntax.length >= 1);
    const first = syntax[0]!;
    assert.equal(first.severity, DiagnosticSeverity.Error);
    assert.equal(first.source, 'waferscope');
    assert.equal(first.range.start.line, brokenLine, `syntax error at ${JSON.stringify(first.range)}`);
    const lineLength = broken.split('\n')[brokenLine]!.length;
    assert.ok(first.range.start.character <= lineLength, 'range starts past the end of its line');

    const fixedVersion = await client.change(uri, valid);
    const fixed = await client.waitForDiagnostics(
      uri,
      (ds, params) => (params.version === undefined || params.version >= fixedVersion) && !ds.some((d) => d.code === 'syntax'),
    );
    assert.deepEqual(problems(fixed), []);
  });

  it('leaves a docker-compose file alone', async () => {
    client = await LspTestClient.start();
    const uri = fileUri('test/workspace/docker-compose.yaml');
    const version = await client.open(uri, 'yaml', DOCKER_COMPOSE);
    // The server sends a result after every analysis, so this marks the end of its work on the file.
    const result = await client.waitForResult(uri, (r) => r.version >= version);
    assert.equal(result.status, 'not-a-config');
    assert.equal(result.report, null);
    assert.deepEqual(client.diagnostics.get(uri)?.diagnostics ?? [], []);
  });

  it('shuts down and exits with code 0 when asked', async () => {
    client = await LspTestClient.start();
    assert.equal(await client.shutdown(), 0);
  });
});
