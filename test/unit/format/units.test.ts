import * as assert from '../plainAssert';
import { bytesPair } from '../../../language-server/core/format/figures';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatFlops,
  formatInteger,
  formatPercent,
  formatSeconds,
  formatSpeedup,
} from '../../../language-server/core/format/units';

describe('webview format', () => {
  describe('formatBytes', () => {
    it('uses decimal units by default (vendors announce 55 TB, 44 GB)', () => {
      assert.equal(formatBytes(55e12), '55 TB');
      assert.equal(formatBytes(44e9), '44 GB');
      assert.equal(formatBytes(1.2e15), '1.2 PB');
      // 16 bytes/parameter x 1e12 parameters = 1.6e13 bytes = 16 TB.
      assert.equal(formatBytes(16 * 1e12), '16 TB');
    });

    it('uses binary units on request (48 KiB = 49,152 bytes per PE)', () => {
      assert.equal(formatBytes(49152, { binary: true }), '48 KiB');
      assert.equal(formatBytes(12 * 1024, { binary: true }), '12 KiB');
      assert.equal(formatBytes(1536 * 1024 * 1024, { binary: true }), '1.5 GiB');
    });

    it('keeps three significant digits and whole bytes below a kilobyte', () => {
      assert.equal(formatBytes(123456789), '123 MB');
      assert.equal(formatBytes(512), '512 B');
      assert.equal(formatBytes(0), '0 B');
      assert.equal(formatBytes(-2e9), '-2 GB');
    });

    it('moves to the next unit when rounding reaches it (999,960 B is 1 MB, not 1000 kB)', () => {
      assert.equal(formatBytes(999_960), '1 MB');
      assert.equal(formatBytes(999.7), '1 kB');
    });

    it('never throws on non-numbers', () => {
      assert.equal(formatBytes(NaN), '–');
      assert.equal(formatBytes(Infinity), '–');
    });
  });

  it('formats seconds with a unit that fits', () => {
    assert.equal(formatSeconds(0.00042), '420 µs');
    assert.equal(formatSeconds(0.0123), '12.3 ms');
    assert.equal(formatSeconds(12.34), '12.3 s');
    assert.equal(formatSeconds(0), '0 s');
    assert.equal(formatSeconds(3e-8), '30 ns');
    // 9000 s is past the 2 h switch to hours: 9000 / 3600 = 2.5 h.
    assert.equal(formatSeconds(9000), '2.5 h');
  });

  it('formats long durations in days and years', () => {
    assert.equal(formatDuration(86400 * 3), '3 days');
    // 2 * 365.25 days is 2 years.
    assert.equal(formatDuration(2 * 365.25 * 86400), '2 years');
    assert.equal(formatDuration(600), '10 min');
  });

  it('formats counts without a space, so they never read as bytes', () => {
    assert.equal(formatCount(1e12), '1 T');
    assert.equal(formatCount(6.7e9), '6.7 B');
    assert.equal(formatCount(18_100), '18.1 k');
    assert.equal(formatCount(999), '999');
  });

  it('formats integers, percentages, FLOP/s and speedups', () => {
    assert.equal(formatInteger(893064), '893,064');
    assert.equal(formatInteger(1e12), '1,000,000,000,000');
    assert.equal(formatPercent(0.9561), '95.6%');
    assert.equal(formatPercent(0.5, 0), '50%');
    assert.equal(formatFlops(15e15), '15 PFLOP/s');
    assert.equal(formatFlops(500), '500 FLOP/s');
    assert.equal(formatSpeedup(15.3), '15.3×');
  });
});

describe('format: no wrap inside a value', () => {
  it('puts a no-break space between every number and its unit', () => {
    for (const text of [formatBytes(4.03e12), formatSeconds(1290), formatSeconds(0.5), formatCount(1.01e12), formatFlops(1.5e16), formatSpeedup(15.3)]) {
      assert.ok(!/\d [A-Za-zµ]/.test(text), `plain space in "${text}"`);
    }
    assert.ok(formatBytes(4.03e12).includes('\u00a0'));
  });
});

describe('format: pairs and long spans', () => {
  it('writes a pair in one unit only when both read well in it', () => {
    assert.equal(bytesPair(16.1e12, 55e12), '16.1 / 55 TB');
    // Not "0.1 / 55 TB" for a 148 GB model.
    assert.equal(bytesPair(148e9, 55e12), '148 GB / 55 TB');
  });

  it('groups the digits of very long spans', () => {
    assert.equal(formatDuration(134000 * 365.25 * 86400), '134,000 years');
    assert.equal(formatDuration(3 * 365.25 * 86400), '3 years');
  });
});
