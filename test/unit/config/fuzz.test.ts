import * as assert from 'node:assert/strict';
import { readConfig } from '../../../language-server/core/config/read';
import { countParameters } from '../../../language-server/core/model/structure';
import { allFixtures } from './helpers';

/** mulberry32: a tiny seeded PRNG, so a failing mutation can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REPLACEMENTS = ['"big"', '[1, 2, 3]', '{a: 1}', '{"a": 1}', 'null', '-7', '0', '1e15', '4096.5', 'true', '&x', '*nope', '', '.nan', '!!binary AAAA', '"', '[', '{'];
const NOISE = ['\t', ':', '-', '&a', '*a', '<<', '{', '}', '[', ']', '"', "'", '#', '\n', '\r', '\u0000', '\u00e9', '\ufeff', '---\n', '%YAML 1.1\n', '? ', '|', '>'];

function mutate(text: string, random: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const lines = text.split('\n');
  switch (Math.floor(random() * 5)) {
    case 0: {
      // Delete a few lines.
      const count = 1 + Math.floor(random() * 4);
      for (let i = 0; i < count && lines.length > 1; i++) lines.splice(Math.floor(random() * lines.length), 1);
      return lines.join('\n');
    }
    case 1: {
      // Swap a number's type (number -> string / list / map / ...).
      const numbered = lines.map((line, i) => (/:\s*-?[\d.]+/.test(line) ? i : -1)).filter((i) => i >= 0);
      if (numbered.length === 0) return text;
      const i = pick(numbered);
      lines[i] = lines[i]!.replace(/(:\s*)-?[\d.][\d.e+-]*/, `$1${pick(REPLACEMENTS)}`);
      return lines.join('\n');
    }
    case 2:
      // Truncate anywhere.
      return text.slice(0, Math.floor(random() * text.length));
    case 3: {
      // Insert structural noise.
      let out = text;
      const count = 1 + Math.floor(random() * 5);
      for (let i = 0; i < count; i++) {
        const at = Math.floor(random() * out.length);
        out = out.slice(0, at) + pick(NOISE) + out.slice(at);
      }
      return out;
    }
    default: {
      // Random bytes.
      let out = text;
      const count = 1 + Math.floor(random() * 8);
      for (let i = 0; i < count; i++) {
        const at = Math.floor(random() * out.length);
        out = out.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x3000)) + out.slice(at + 1);
      }
      return out;
    }
  }
}

describe('fuzz: readConfig never throws and stays fast', function () {
  this.timeout(120_000);

  it('survives 2,000 seeded mutations of the fixtures', () => {
    const fixtures = allFixtures();
    const random = prng(20241204);
    const rounds = 2000;
    let slowest = 0;
    let withModel = 0;
    const started = Date.now();
    for (let round = 0; round < rounds; round++) {
      const f = fixtures[round % fixtures.length]!;
      // Mutations compound now and then, so damage goes beyond one edit.
      let text = mutate(f.text, random);
      if (random() < 0.3) text = mutate(text, random);
      const t0 = Date.now();
      const doc = readConfig(f.absolute, text);
      if (doc.model) {
        withModel++;
        const counts = countParameters(doc.model);
        assert.ok(counts.total > 0n && counts.active <= counts.total, `round ${round}`);
      }
      slowest = Math.max(slowest, Date.now() - t0);
      assert.ok(Array.isArray(doc.diagnostics), `round ${round}`);
      assert.ok(!doc.diagnostics.some((d) => d.code === 'internal-error'), `round ${round}: ${JSON.stringify(doc.diagnostics)}`);
      // Lines as LSP counts them: \r\n, \r and \n each end one.
      const lineCount = text.split(/\r\n|\r|\n/).length;
      for (const d of doc.diagnostics) {
        assert.ok(d.range.start.line >= 0 && d.range.end.line < lineCount + 1, `round ${round}: range ${JSON.stringify(d.range)}`);
        assert.ok(typeof d.message === 'string' && d.message.length > 0);
      }
    }
    // Most mutations keep a readable model; the parameter count must work on all of them.
    assert.ok(withModel > rounds / 10, `only ${withModel} models`);
    assert.ok(slowest < 500, `slowest read ${slowest} ms`);
    assert.ok(Date.now() - started < 60_000);
  });

  it('handles non-string input and absurd inputs without throwing', () => {
    for (const text of [undefined, null, 42, {}] as unknown as string[]) {
      const doc = readConfig('/x/a.yaml', text);
      assert.equal(doc.format, 'unknown');
    }
    const deep = 'trainer:\n  init:\n    model: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
    assert.doesNotThrow(() => readConfig('/x/a.yaml', deep));
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    const t0 = Date.now();
    const doc = readConfig('/x/bomb.yaml', bomb.join('\n') + '\ntrainer:\n  init:\n    model: *l\n');
    assert.ok(Date.now() - t0 < 1000, 'aliases are shared, never expanded');
    assert.equal(doc.format, 'modelzoo-trainer');
  });
});

describe('large files', function () {
  this.timeout(30_000);

  /** The best of two runs, so a busy machine does not decide the result. */
  function bestTime(text: string): number {
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
      const t0 = process.hrtime.bigint();
      readConfig('/x/big.yaml', text);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return best;
  }

  it('reads a 100,000-line config in linear time (the yaml parser dominates)', () => {
    const base = allFixtures().find((f) => f.path.endsWith('gpt3__params_gpt3_xl.yaml'))!.text;
    const grow = (lines: number) => {
      const extra: string[] = [];
      for (let i = 0; i < lines; i++) {
        // A mix of what long files contain: comments, list items and plain keys.
        if (i % 3 === 0) extra.push(`# note ${i}`);
        else if (i % 3 === 1) extra.push(`  - ./data/shard_${i}/`);
        else extra.push(`key_${i}: ${i}`);
      }
      return base + '\nextra_list:\n' + extra.join('\n') + '\n';
    };
    const big = grow(100_000);
    assert.ok(big.split('\n').length > 100_000);
    const doc = readConfig('/x/big.yaml', big);
    assert.equal(doc.format, 'modelzoo-trainer');
    assert.ok(doc.model);
    const largeMs = bestTime(big);
    const smallMs = bestTime(grow(25_000));
    // Quadratic behaviour (a duplicate-key scan, repeated alias resolution) would make the
    // 4x larger file 16x slower; linear gives about 4x, plus garbage-collection overhead.
    assert.ok(largeMs < 12 * smallMs + 50, `${largeMs.toFixed(0)} ms vs ${smallMs.toFixed(0)} ms`);
    // No absolute bound here: the time depends on the machine's load; `npm run bench` measures it.
  });
});
