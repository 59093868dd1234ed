/**
 * Issue 12's fuzz in the protocol tier: a few thousand mutated documents through the real protocol,
 * with every count at zero and the server under 500 MB. `npm run fuzz` runs 100,000.
 */
import * as assert from 'node:assert/strict';
import { fuzz } from '../fuzz/engine';

const DOCUMENTS = Number(process.env.WAFERSCOPE_FUZZ_DOCUMENTS ?? 3000);

describe('protocol fuzz', function () {
  this.timeout(600_000);

  it(`survives ${DOCUMENTS} seeded mutated documents: no crash, hang, slow or failed request, range outside, flood`, async () => {
    const report = await fuzz({ seed: 12, documents: DOCUMENTS, concurrency: 2 });
    const counts = {
      crashes: report.crashes,
      hangs: report.hangs,
      unanswered: report.unanswered,
      slow: report.slow,
      internalErrors: report.internalErrors,
      rangesOutside: report.rangesOutside,
      floods: report.floods,
    };
    const zero = { crashes: 0, hangs: 0, unanswered: 0, slow: 0, internalErrors: 0, rangesOutside: 0, floods: 0 };
    assert.deepEqual(counts, zero, report.examples.join('\n'));
    assert.equal(report.documents, DOCUMENTS);
    if (report.peakRssMb !== undefined) assert.ok(report.peakRssMb < 500, `peak RSS ${report.peakRssMb.toFixed(0)} MB`);
    console.log(`      fuzz: ${report.documents} documents in ${report.seconds.toFixed(0)} s, ${report.over1s} over 1 s on this machine, peak RSS ${report.peakRssMb?.toFixed(0) ?? 'n/a'} MB`);
  });
});
