/**
 * Finding 11 of issue 12: every request and webview message is checked (a typed ProtocolError, never
 * a throw from inside a handler), and a burst of webview requests costs two server requests.
 */
import * as assert from 'node:assert/strict';
import { LatestOnly } from '../../../extension/latestOnly';
import { parseHeatmapParams, parseTimelineParams, parseWebviewMessage, ProtocolError } from '../../../protocol/validate';

describe('message validation', () => {
  it('rejects null, arrays and wrong types with a ProtocolError naming the field', () => {
    for (const params of [null, undefined, [], 'x', { uri: 5, layer: 0 }, { uri: 'file:///a', layer: -1 }, { uri: 'file:///a', layer: 1.5 }, { uri: 'file:///a', layer: '3' }]) {
      assert.throws(() => parseHeatmapParams('waferscope/heatmap', params), ProtocolError, JSON.stringify(params));
    }
    assert.throws(() => parseTimelineParams('waferscope/timeline', { uri: 'file:///a', systems: 0 }), /systems/);
    assert.deepEqual(parseHeatmapParams('waferscope/heatmap', { uri: 'file:///a', layer: 3, extra: {} }), { uri: 'file:///a', layer: 3 });
  });

  it('accepts the four webview messages and nothing else', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'requestHeatmap', layer: 2 }), { type: 'requestHeatmap', layer: 2 });
    assert.deepEqual(parseWebviewMessage({ type: 'ready', junk: 1 }), { type: 'ready' });
    for (const message of [null, 7, { type: 'requestHeatmap' }, { type: 'requestTimeline', systems: -4 }, { type: 'rendered', uri: 'x', version: 1, view: 'nope' }, { type: '__proto__' }]) {
      assert.throws(() => parseWebviewMessage(message), ProtocolError, JSON.stringify(message));
    }
  });
});

describe('webview request coalescing', () => {
  it('runs 10,000 submissions as the running one plus the latest', async () => {
    const ran: number[] = [];
    let release: () => void = () => undefined;
    const queue = new LatestOnly<number>(async (layer) => {
      ran.push(layer);
      if (ran.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    for (let layer = 0; layer < 10_000; layer++) queue.submit(layer);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ran, [0, 9_999]);
  });

  it('keeps going after a request fails', async () => {
    const ran: number[] = [];
    const queue = new LatestOnly<number>(async (value) => {
      ran.push(value);
      throw new Error('server gone');
    });
    queue.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    queue.submit(2);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ran, [1, 2]);
  });
});
