import * as assert from '../plainAssert';
import {
  DEFAULT_STATE,
  EMPTY_STATE_TEXT,
  clampLayer,
  defaultLayer,
  effectiveSystems,
  jobSystems,
  layerCountOf,
  panelStatus,
  restoreState,
} from '../../../webview/viewModel';
import { report, result } from './reportFixture';

describe('webview panel state', () => {
  it('restores what it can from a stored state and defaults the rest', () => {
    assert.deepEqual(restoreState(undefined), DEFAULT_STATE);
    assert.deepEqual(restoreState('nonsense'), DEFAULT_STATE);
    assert.deepEqual(restoreState({ uri: 'file:///a.yaml', view: 'memory', layer: 7, metric: 'compute', systems: 64 }), {
      uri: 'file:///a.yaml',
      view: 'memory',
      layer: 7,
      metric: 'compute',
      systems: 64,
    });
    const bad = restoreState({ uri: 3, view: 'graph', layer: -2.5, metric: 'heat', systems: 1e12 });
    assert.deepEqual(bad, DEFAULT_STATE);
  });

  it('clamps the layer into range when a result has fewer layers', () => {
    assert.equal(clampLayer(5, 3), 2);
    assert.equal(clampLayer(1.7, 3), 1);
    assert.equal(clampLayer(-1, 3), 0);
    assert.equal(clampLayer(NaN, 3), 0);
    assert.equal(clampLayer(2, 0), 0);
    assert.equal(clampLayer(Infinity, 4), 0);
    // The fixture report has 5 layers on the wafer.
    assert.equal(layerCountOf(report()), 5);
    assert.equal(clampLayer(9, layerCountOf(report())), 4);
    assert.equal(layerCountOf(null), 0);
  });

  it('opens a new document on the layer where the occupancy peaks, else its first decoder layer', () => {
    const r = report();
    assert.equal(defaultLayer(r), r.wafer!.peakLayer.index);
    assert.equal(defaultLayer({ ...r, wafer: { ...r.wafer!, peakLayer: { index: 1, name: 'decoder 0' } } }), 1);
    const expected = r.wafer!.layers.findIndex((layer) => layer.name.startsWith('decoder'));
    assert.ok(expected > 0, 'the fixture starts with an embedding layer');
    const noPeak = { ...r, wafer: { ...r.wafer!, peakLayer: { index: -1, name: '' } } };
    assert.equal(defaultLayer(noPeak), expected);
    assert.equal(defaultLayer({ ...noPeak, wafer: { ...noPeak.wafer, layers: r.wafer!.layers.filter((l) => !l.name.startsWith('decoder')) } }), 0);
    assert.equal(defaultLayer(null), 0);
  });

  it('shows the job systems unless the user picked another count', () => {
    const r = report();
    assert.equal(jobSystems(r), 4); // training.numCsx
    assert.equal(effectiveSystems({ ...DEFAULT_STATE, systems: 0 }, r), 4);
    assert.equal(effectiveSystems({ ...DEFAULT_STATE, systems: 256 }, r), 256);
    assert.equal(jobSystems(report({ training: undefined })), 4); // scaling.systems
    assert.equal(jobSystems(report({ training: undefined, scaling: undefined })), 16); // cluster.systems
    assert.equal(jobSystems(null), 1);
  });

  it('never throws on a malformed result', () => {
    const broken = { uri: 'file:///x', version: 1, status: 'invalid', summary: '', report: { file: 'x' } } as unknown as Parameters<typeof panelStatus>[0];
    assert.equal(panelStatus(broken).kind, 'blocked');
    assert.equal(panelStatus({ ...broken!, status: 'cluster' }).headline, 'Cluster file: ');
  });

  describe('status', () => {
    it('is empty without a result or for files that are not configs', () => {
      assert.equal(panelStatus(null).kind, 'empty');
      assert.equal(panelStatus(null).headline, EMPTY_STATE_TEXT);
      assert.equal(EMPTY_STATE_TEXT, 'Open a Model Zoo YAML, a Hugging Face config.json or a *.cluster.yaml');
      assert.equal(panelStatus(result('not-a-config')).kind, 'empty');
      assert.equal(panelStatus(result('fits', null)).kind, 'empty');
    });

    it('shows views for configs that were simulated', () => {
      assert.deepEqual(
        [panelStatus(result('fits')).kind, panelStatus(result('fits')).badge],
        ['ok', 'fits'],
      );
      assert.equal(panelStatus(result('does-not-fit')).badgeClass, 'does-not-fit');
    });

    it('blocks views for invalid configs, unmodelled families and cluster files', () => {
      const bare = report({ memoryx: undefined, wafer: undefined, timeline: undefined, model: null });
      const invalid = panelStatus(result('invalid', bare));
      assert.equal(invalid.kind, 'blocked');
      // The fixture has exactly one error among its three diagnostics.
      assert.equal(invalid.detail, '1 error: see the list below and the Problems view.');
      const notModelled = panelStatus(result('not-modelled', { ...bare, model: { ...report().model!, family: 'bert' } }));
      assert.equal(notModelled.kind, 'blocked');
      assert.match(notModelled.headline, /bert/);
      const cluster = panelStatus(result('cluster', bare));
      assert.deepEqual([cluster.kind, cluster.badge], ['blocked', 'cluster']);
      assert.equal(cluster.headline, 'Cluster file: test');
    });
  });
});
