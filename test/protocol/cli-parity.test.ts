/**
 * One code path: the CLI's `--json` diagnostics and the language server's published diagnostics
 * for the same file are the same list (code, severity, range), whatever the file.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri } from './lspClient';

const FILES = [
  'examples/1t/gpt-1t.yaml',
  'test/data/modelzoo/current/mixtral__params_mixtral_8x7b.yaml',
  'test/data/modelzoo/current/bert__bert_base_MSL128.yaml',
  'test/data/hf/llama2-70b.config.json',
  'test/workspace/broken.yaml',
];

const SEVERITY: Record<number, string> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

interface Row {
  code: string;
  severity: string;
  range: unknown;
}

function cliDiagnostics(file: string): Row[] {
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, ['dist/cli.js', 'report', file, '--json'], { encoding: 'utf8' });
  } catch (error) {
    // Exit code 1 (error diagnostics) still prints the report.
    stdout = (error as { stdout: string }).stdout;
  }
  const report = JSON.parse(stdout) as { diagnostics: { code: string; severity: string; range: unknown }[] };
  return report.diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range }));
}

const key = (row: Row) => JSON.stringify(row);

describe('CLI and language server agree', function () {
  this.timeout(30000);
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start({ initializationOptions: { debounceMs: 0 }, settings: { waferscope: {} } });
  });

  after(() => client.dispose());

  for (const file of FILES) {
    it(`publishes the CLI's diagnostics for ${file}`, async () => {
      const expected = cliDiagnostics(file).map(key).sort();
      const uri = fileUri(file);
      await client.open(uri, file.endsWith('.json') ? 'json' : 'yaml', readFileSync(resolve(file), 'utf8'));
      const published = await client.waitForDiagnostics(uri, (_d, params) => params.version === 1);
      const actual = published.map((d) => key({ code: String(d.code), severity: SEVERITY[d.severity ?? 1], range: d.range })).sort();
      assert.deepEqual(actual, expected);
    });
  }
});
