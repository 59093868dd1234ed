/**
 * Language server latency bench (bundled by bench/run.mjs): from `didChange` to
 * `publishDiagnostics` on the 1T example, through the real protocol (dist/server.js over stdio),
 * with the debounce set to 0 so what is measured is the server's own work plus the pipe.
 *
 * Each edit changes `micro_batch_size` (so the cache cannot answer) and waits for the diagnostics of
 * exactly that version. Reported: p50/p95 over the series, and beside it the cost of parsing the
 * same file with the `yaml` package in this process, measured in the same run (the ratio is what
 * compares across machines). Target: p50 under 10 ms.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { LspTestClient, fileUri } from '../test/protocol/lspClient';

const TARGET_P50_MS = 10;
const EDITS = 200;
const WARMUP = 20;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

async function main(): Promise<void> {
  const path = resolve('examples/1t/gpt-1t.yaml');
  const text = readFileSync(path, 'utf8');
  const uri = fileUri('examples/1t/bench-edit.yaml');

  const parseTimes: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    parse(text);
    parseTimes.push(performance.now() - start);
  }
  const parseMs = percentile(parseTimes.slice(20), 0.5);

  const client = await LspTestClient.start({ initializationOptions: { debounceMs: 0 }, settings: { waferscope: {} } });
  try {
    await client.open(uri, 'yaml', text);
    await client.waitForDiagnostics(uri, (_d, params) => params.version === 1, 30000);
    const latencies: number[] = [];
    for (let i = 0; i < WARMUP + EDITS; i++) {
      const micro = 1 + (i % 36);
      const edited = text.replace('csx.performance.micro_batch_size: auto', `csx.performance.micro_batch_size: ${micro}`);
      const start = performance.now();
      const version = await client.change(uri, edited);
      await client.waitForDiagnostics(uri, (_d, params) => params.version === version, 30000);
      if (i >= WARMUP) latencies.push(performance.now() - start);
    }
    const p50 = percentile(latencies, 0.5);
    const p95 = percentile(latencies, 0.95);
    const output = {
      name: 'lsp',
      scenario: `didChange -> publishDiagnostics, ${EDITS} edits of micro_batch_size in examples/1t/gpt-1t.yaml, debounce 0`,
      baseline: { yamlParseMs: Number(parseMs.toFixed(3)) },
      latency: {
        p50Ms: Number(p50.toFixed(2)),
        p95Ms: Number(p95.toFixed(2)),
        p50RatioToYamlParse: Number((p50 / parseMs).toFixed(2)),
        targetP50Ms: TARGET_P50_MS,
      },
      pass: p50 < TARGET_P50_MS,
    };
    console.log(`yaml.parse of the same file: median ${parseMs.toFixed(3)} ms (baseline)`);
    console.log(`didChange -> publishDiagnostics: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (${output.latency.p50RatioToYamlParse}x yaml.parse) target p50 < ${TARGET_P50_MS} ms ${output.pass ? 'PASS' : 'FAIL'}`);
    await client.shutdown();
    console.log(JSON.stringify(output));
  } finally {
    client.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  console.log(JSON.stringify({ name: 'lsp', pass: false, error: String(error) }));
  process.exitCode = 1;
});
