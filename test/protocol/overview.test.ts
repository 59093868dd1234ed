/**
 * The workspace overview request: model configs (open or on disk) with their verdict against the
 * cluster they use; cluster files and unrelated files are left out; the selected cluster setting
 * changes the verdicts of configs that name no cluster of their own.
 */
import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { WorkspaceOverviewMethod, type WorkspaceOverviewResult } from '../../protocol/index';
import { LspTestClient, fileUri } from './lspClient';

const FILES = ['examples/1t/gpt-1t.yaml', 'examples/1t/gpt-1t-16x.yaml', 'examples/1t/small-12tb.cluster.yaml', 'test/workspace/broken.yaml', 'test/workspace/docker-compose.yaml', 'test/workspace/gpt3-xl.yaml'];

describe('workspace overview over the protocol', function () {
  this.timeout(30000);
  let client: LspTestClient;
  afterEach(() => client.dispose());

  it('lists the model configs with verdict, parameters and step time; the selected cluster counts', async () => {
    client = await LspTestClient.start({ initializationOptions: { debounceMs: 0 }, settings: { waferscope: {} } });
    const uris = FILES.map(fileUri);
    const first = await client.request<WorkspaceOverviewResult>(WorkspaceOverviewMethod, { uris });
    const byName = new Map(first.entries.map((e) => [e.uri.split('/').pop(), e]));
    assert.deepEqual([...byName.keys()].sort(), ['broken.yaml', 'gpt-1t-16x.yaml', 'gpt-1t.yaml', 'gpt3-xl.yaml']);
    const oneT = byName.get('gpt-1t.yaml')!;
    assert.equal(oneT.status, 'fits');
    assert.equal(oneT.parameters, 1008038758400);
    assert.ok(oneT.stepSeconds! > 60);
    assert.match(oneT.summary, /^1\.01[ \u00a0]T[ \u00a0]params · MemoryX 16\.1[ \u00a0]\/[ \u00a0]55[ \u00a0]TB/);
    assert.equal(byName.get('gpt-1t-16x.yaml')!.systems, 16);
    assert.equal(byName.get('broken.yaml')!.status, 'invalid');

    // Select the 12 TB cluster: the 1T config that names no cluster no longer fits; the 16x one keeps its own.
    await client.setConfiguration({ waferscope: { cluster: resolve('examples/1t/small-12tb.cluster.yaml') } });
    let second: WorkspaceOverviewResult | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      second = await client.request<WorkspaceOverviewResult>(WorkspaceOverviewMethod, { uris });
      if (second.entries.find((e) => e.uri.endsWith('/gpt-1t.yaml'))?.status === 'does-not-fit') break;
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(second!.entries.find((e) => e.uri.endsWith('/gpt-1t.yaml'))!.status, 'does-not-fit');
    assert.equal(second!.entries.find((e) => e.uri.endsWith('/gpt-1t-16x.yaml'))!.status, 'fits');
  });
});
