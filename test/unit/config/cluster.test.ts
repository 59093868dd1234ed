import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_CLUSTER, parseCapacity, resolveCluster } from '../../../language-server/core/config/cluster';
import { CLUSTER_BLOCK_KEYS, MEMORYX_BLOCK_KEYS } from '../../../language-server/core/config/keys';
import { readConfig } from '../../../language-server/core/config/read';
import type { ConfigDocument } from '../../../language-server/core/types';
import { errors, only, rangeAfter, rangeOfText, SMALL_TRAINER_MODEL } from './helpers';

const CLUSTER = `cluster:
  name: Kingfisher-16
  system: cs-3          # preset (cs-3, cs-2)
  systems: 16           # CS-X systems available
  memoryx:
    capacity: 55 TB     # bytes, or a number with a unit
  overrides: {}
`;

const MODEL = SMALL_TRAINER_MODEL;

describe('cluster files: capacity units', () => {
  it('reads bytes and decimal / binary units', () => {
    const cases: [string | number, number][] = [
      [55e12, 55e12],
      ['55 TB', 55e12],
      ['12TB', 12e12],
      ['1.5 TB', 1.5e12],
      ['1.2 PB', 1.2e15],
      ['512 GiB', 512 * 2 ** 30],
      ['2 TiB', 2 * 2 ** 40],
      ['1 PiB', 2 ** 50],
      ['750 GB', 750e9],
      ['55 tb', 55e12],
      ['1e12', 1e12],
    ];
    for (const [input, bytes] of cases) assert.deepEqual(parseCapacity(input), { bytes }, String(input));
  });

  it('rejects what is not a capacity, suggesting a unit when one is close', () => {
    assert.ok('error' in parseCapacity('lots'));
    assert.ok('error' in parseCapacity(-1));
    assert.ok('error' in parseCapacity(0));
    assert.ok('error' in parseCapacity(true));
    const typo = parseCapacity('55 TiBB');
    assert.ok('error' in typo && typo.suggestion === 'TiB');
  });
});

describe('cluster files: reader', () => {
  it('reads the documented example', () => {
    const doc = readConfig('/c/kingfisher.cluster.yaml', CLUSTER);
    assert.equal(doc.format, 'cluster');
    assert.deepEqual(doc.diagnostics, []);
    assert.deepEqual(doc.cluster, {
      name: 'Kingfisher-16',
      system: 'cs-3',
      systems: 16,
      memoryxCapacityBytes: 55e12,
      overrides: {},
      origin: { kind: 'file', file: '/c/kingfisher.cluster.yaml' },
    });
    assert.deepEqual(doc.sources['cluster.memoryxCapacity']!.valueRange, rangeOfText(CLUSTER, '55 TB'));
    assert.deepEqual(doc.sources['cluster.systems']!.valueRange, rangeAfter(CLUSTER, 'systems: ', '16'));
    assert.deepEqual(doc.sources['cluster.system']!.valueRange, rangeAfter(CLUSTER, 'system: ', 'cs-3'));
    assert.deepEqual(doc.sources['cluster.block']!.keyRange, rangeOfText(CLUSTER, 'cluster'));
  });

  it('is recognised by its top-level cluster block under any name, and in JSON', () => {
    assert.equal(readConfig('/c/plan.yaml', CLUSTER).format, 'cluster');
    const json = JSON.stringify({ cluster: { system: 'CS-2', systems: 2, memoryx: { capacity: '2 TiB' } } });
    const doc = readConfig('/c/two.cluster.json', json);
    assert.deepEqual(errors(doc), []);
    assert.equal(doc.cluster!.system, 'cs-2');
    assert.equal(doc.cluster!.memoryxCapacityBytes, 2 * 2 ** 40);
    assert.equal(doc.cluster!.name, 'two');
  });

  it('defaults to one CS-3', () => {
    const doc = readConfig('/c/small.cluster.yaml', 'cluster:\n  memoryx:\n    capacity: 12 TB\n');
    assert.equal(doc.cluster!.system, 'cs-3');
    assert.equal(doc.cluster!.systems, 1);
  });

  it('an unknown preset is an error with did-you-mean', () => {
    const text = CLUSTER.replace('system: cs-3', 'system: cs-4');
    const doc = readConfig('/c/k.cluster.yaml', text);
    const diagnostic = only(doc, 'invalid-value');
    assert.equal(diagnostic.severity, 'error');
    assert.deepEqual(diagnostic.range, rangeOfText(text, 'cs-4'));
    assert.match(diagnostic.message, /Did you mean 'cs-3'/);
    assert.equal(doc.cluster, undefined);
  });

  it('unknown keys in the cluster file get did-you-mean fixes', () => {
    const text = CLUSTER.replace('  systems: 16', '  sytems: 16').replace('    capacity:', '    capacty:');
    const doc = readConfig('/c/k.cluster.yaml', text);
    const unknown = doc.diagnostics.filter((d) => d.code === 'unknown-key');
    assert.equal(unknown.length, 2);
    assert.deepEqual(unknown[0]!.range, rangeOfText(text, 'sytems'));
    assert.equal(unknown[0]!.fixes![0]!.edits[0]!.newText, 'systems');
    assert.deepEqual(unknown[1]!.range, rangeOfText(text, 'capacty'));
    assert.equal(unknown[1]!.fixes![0]!.edits[0]!.newText, 'capacity');
    // The capacity is then missing: an error on the memoryx key.
    assert.deepEqual(only(doc, 'missing-key').range, rangeOfText(text, 'memoryx'));
  });

  it('a bad capacity, a non-numeric override and a bad system count are errors on their values', () => {
    const text = CLUSTER.replace('55 TB', '55 TX').replace('overrides: {}', 'overrides:\n    sramBytesPerCore: lots').replace('systems: 16', 'systems: 0');
    const doc = readConfig('/c/k.cluster.yaml', text);
    const byCode = (code: string) => doc.diagnostics.filter((d) => d.code === code);
    assert.deepEqual(byCode('invalid-value').map((d) => d.range), [rangeAfter(text, 'systems: ', '0'), rangeOfText(text, '55 TX')]);
    assert.deepEqual(only(doc, 'wrong-type').range, rangeOfText(text, 'lots'));
    assert.equal(doc.cluster, undefined);
  });

  it('numeric overrides are kept by name', () => {
    const doc = readConfig('/c/k.cluster.yaml', CLUSTER.replace('overrides: {}', 'overrides:\n    systemIoBytesPerSecond: 2.0e11'));
    assert.deepEqual(doc.cluster!.overrides, { systemIoBytesPerSecond: 2e11 });
  });

  it('a cluster file without a cluster block says so', () => {
    const doc = readConfig('/c/k.cluster.yaml', 'clusterr:\n  systems: 2\n');
    assert.equal(doc.format, 'cluster');
    assert.equal(only(doc, 'unknown-key').fixes![0]!.edits[0]!.newText, 'cluster');
    assert.equal(only(doc, 'missing-key').severity, 'error');
  });
});

describe('cluster resolution', () => {
  const files: Record<string, string> = {
    '/work/clusters/k16.cluster.yaml': CLUSTER,
    '/work/clusters/two.cluster.yaml': CLUSTER.replace('systems: 16', 'systems: 2').replace('Kingfisher-16', 'Two'),
    '/work/configs/local.cluster.yaml': CLUSTER.replace('Kingfisher-16', 'Local'),
    '/work/clusters/broken.cluster.yaml': 'cluster:\n  memoryx:\n    capacity: huge\n',
  };
  const readFile = (path: string) => files[path];
  const withReference = (reference: string): ConfigDocument =>
    readConfig('/work/configs/gpt.yaml', `# waferscope: cluster=${reference}\n${MODEL}`);

  it('the reference comment comes first', () => {
    const doc = withReference('../clusters/k16.cluster.yaml');
    const resolved = resolveCluster(doc, { settingPath: '/work/clusters/two.cluster.yaml', readFile });
    assert.deepEqual(resolved.diagnostics, []);
    assert.equal(resolved.cluster.name, 'Kingfisher-16');
    assert.equal(resolved.cluster.systems, 16);
    assert.deepEqual(resolved.cluster.origin, { kind: 'file', file: '/work/clusters/k16.cluster.yaml' });
    assert.equal(resolved.clusterDocument!.file, '/work/clusters/k16.cluster.yaml');
  });

  it('then the setting, absolute or relative to the config folder', () => {
    const doc = readConfig('/work/configs/gpt.yaml', MODEL);
    const absolute = resolveCluster(doc, { settingPath: '/work/clusters/two.cluster.yaml', readFile });
    assert.equal(absolute.cluster.name, 'Two');
    assert.deepEqual(absolute.cluster.origin, { kind: 'setting', file: '/work/clusters/two.cluster.yaml' });
    const relative = resolveCluster(doc, { settingPath: 'local.cluster.yaml', readFile });
    assert.equal(relative.cluster.name, 'Local');
  });

  it('then the embedded default: one CS-3 with 55 TB (the Sandia 1T run)', () => {
    const doc = readConfig('/work/configs/gpt.yaml', MODEL);
    const resolved = resolveCluster(doc, { readFile });
    assert.deepEqual(resolved.diagnostics, []);
    assert.equal(resolved.cluster.name, 'default: 1 x CS-3, 55 TB MemoryX (Sandia 1T run)');
    assert.equal(resolved.cluster.system, 'cs-3');
    assert.equal(resolved.cluster.systems, 1);
    assert.equal(resolved.cluster.memoryxCapacityBytes, 55e12);
    assert.deepEqual(resolved.cluster.origin, { kind: 'default' });
    assert.equal(DEFAULT_CLUSTER.memoryxCapacityBytes, 55_000_000_000_000);
  });

  it('an unreadable referenced file: a diagnostic on the comment, then the default', () => {
    const doc = withReference('../clusters/missing.cluster.yaml');
    const resolved = resolveCluster(doc, { settingPath: '/work/clusters/two.cluster.yaml', readFile });
    assert.equal(resolved.diagnostics.length, 1);
    assert.equal(resolved.diagnostics[0]!.code, 'cluster-not-found');
    assert.deepEqual(resolved.diagnostics[0]!.range, doc.clusterReference!.range);
    assert.deepEqual(resolved.cluster.origin, { kind: 'default' });
  });

  it('an invalid referenced file: a diagnostic on the comment naming the problem, then the default', () => {
    const doc = withReference('../clusters/broken.cluster.yaml');
    const resolved = resolveCluster(doc, { readFile });
    assert.equal(resolved.diagnostics.length, 1);
    assert.equal(resolved.diagnostics[0]!.code, 'invalid-value');
    assert.match(resolved.diagnostics[0]!.message, /line 3/);
    assert.deepEqual(resolved.diagnostics[0]!.range, rangeOfText(`# waferscope: cluster=../clusters/broken.cluster.yaml`, '../clusters/broken.cluster.yaml'));
    assert.deepEqual(resolved.cluster.origin, { kind: 'default' });
  });

  it('a readFile that throws is treated as unreadable', () => {
    const doc = withReference('x.cluster.yaml');
    const resolved = resolveCluster(doc, { readFile: () => { throw new Error('EACCES'); } });
    assert.equal(resolved.diagnostics[0]!.code, 'cluster-not-found');
  });

  it('--systems overrides the system count', () => {
    const doc = withReference('../clusters/k16.cluster.yaml');
    assert.equal(resolveCluster(doc, { readFile, systemsOverride: 4 }).cluster.systems, 4);
    assert.equal(resolveCluster(readConfig('/w/a.yaml', MODEL), { readFile, systemsOverride: 8 }).cluster.systems, 8);
  });
});

describe('cluster schema', () => {
  const schema = JSON.parse(readFileSync('media/schemas/cluster.schema.json', 'utf8'));
  const cluster = schema.properties.cluster;

  it('is draft-07 and lists exactly the keys the reader accepts', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(Object.keys(cluster.properties).sort(), [...CLUSTER_BLOCK_KEYS].sort());
    assert.deepEqual(Object.keys(cluster.properties.memoryx.properties).sort(), [...MEMORYX_BLOCK_KEYS].sort());
    for (const property of Object.values(cluster.properties) as { description?: string }[]) {
      assert.ok(property.description && property.description.length > 10);
    }
  });

  it('its capacity pattern accepts what parseCapacity accepts', () => {
    const pattern = new RegExp(cluster.properties.memoryx.properties.capacity.oneOf[1].pattern);
    for (const ok of ['55 TB', '12TB', '1.5 TB', '1.2 PB', '512 GiB', '2 TiB', '100']) {
      assert.ok(pattern.test(ok), ok);
      assert.ok('bytes' in parseCapacity(ok), ok);
    }
    for (const bad of ['lots', '55 T B', 'TB 55']) {
      assert.ok(!pattern.test(bad), bad);
      assert.ok('error' in parseCapacity(bad), bad);
    }
  });
});
