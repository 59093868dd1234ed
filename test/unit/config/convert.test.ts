import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../../../language-server/core/config/read';
import { MODELZOO_FAMILY_OF, toModelZooYaml } from '../../../language-server/core/convert/toModelZoo';
import { countParameters } from '../../../language-server/core/model/structure';

const CHECKPOINTS = 'test/data/checkpoints';

describe('convert a config.json to Model Zoo trainer-layout YAML', () => {
  const folders = readdirSync(CHECKPOINTS).filter((name) => name.includes('--')).sort();
  for (const folder of folders) {
    const type = folder.split('--')[0]!;
    if (!MODELZOO_FAMILY_OF[type]) continue;
    it(`${folder}: the YAML reads back to the same count`, () => {
      const path = join(process.cwd(), CHECKPOINTS, folder, 'config.json');
      const doc = readConfig(path, readFileSync(path, 'utf8'));
      const conversion = toModelZooYaml(type, doc.model!, doc.training!);
      assert.ok(conversion, 'no conversion offered');
      const back = readConfig(join(process.cwd(), 'test/out', conversion.fileName), conversion.yaml);
      assert.equal(back.format, 'modelzoo-trainer');
      assert.deepEqual(back.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.message), []);
      assert.equal(countParameters(back.model!).total, countParameters(doc.model!).total);
      const expected = JSON.parse(readFileSync(join(CHECKPOINTS, folder, 'expected.json'), 'utf8')) as { parameters: number };
      assert.equal(countParameters(back.model!).total, BigInt(expected.parameters));
      // Model Zoo key names, not Hugging Face ones.
      assert.match(conversion.yaml, /num_heads: /);
      assert.match(conversion.yaml, /filter_size: /);
      assert.doesNotMatch(conversion.yaml, /num_attention_heads|intermediate_size/);
    });
  }

  it('grouped-query attention and the gated MLP in Model Zoo words (Llama-2-70B)', () => {
    const path = join(process.cwd(), CHECKPOINTS, 'llama--llama2-70b-chat-fp16', 'config.json');
    const doc = readConfig(path, readFileSync(path, 'utf8'));
    const yaml = toModelZooYaml('llama', doc.model!, doc.training!)!.yaml;
    assert.match(yaml, /attention_module: multiquery_attention/);
    assert.match(yaml, /num_kv_groups: 8/);
    assert.match(yaml, /nonlinearity: swiglu/);
    assert.match(yaml, /share_embedding_weights: false/);
  });

  it('families the Model Zoo does not ship get no conversion', () => {
    const path = join(process.cwd(), CHECKPOINTS, 'qwen3--qwen3-1.7b', 'config.json');
    const doc = readConfig(path, readFileSync(path, 'utf8'));
    assert.equal(toModelZooYaml('qwen3', doc.model!, doc.training!), undefined);
  });
});
