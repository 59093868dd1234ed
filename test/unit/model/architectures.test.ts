import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../../../language-server/core/config/read';
import { countParameters } from '../../../language-server/core/model/structure';

const CHECKPOINTS = 'test/data/checkpoints';

interface Expected {
  model_type: string;
  parameters: number;
  derivation: string;
}

/**
 * Every real checkpoint of test/data/checkpoints: the count transformers' num_parameters() gives,
 * which `expected.json` derived tensor by tensor and checked against the checkpoint's saved bytes.
 */
describe('architecture table: real checkpoints, exact to the parameter', () => {
  for (const folder of readdirSync(CHECKPOINTS).filter((name) => name.includes('--')).sort()) {
    const expected = JSON.parse(readFileSync(join(CHECKPOINTS, folder, 'expected.json'), 'utf8')) as Expected;
    it(`${folder}: ${expected.parameters.toLocaleString('en-US')}`, () => {
      const path = join(process.cwd(), CHECKPOINTS, folder, 'config.json');
      const doc = readConfig(path, readFileSync(path, 'utf8'));
      assert.ok(doc.model, `no model read: ${JSON.stringify(doc.diagnostics.map((d) => d.message))}`);
      assert.equal(doc.model.approximation, undefined);
      assert.deepEqual(doc.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.message), []);
      assert.equal(countParameters(doc.model).total, BigInt(expected.parameters), expected.derivation);
    });
  }
});
