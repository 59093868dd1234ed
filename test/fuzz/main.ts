/**
 * `npm run fuzz [-- --documents N --seed S --concurrency C]`: the protocol fuzz at full size
 * (100,000 documents by default). Prints progress, then one line per count; exits 1 when any count
 * is not zero or the server's peak RSS reached 500 MB.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { fuzz } from './engine';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '12' },
    concurrency: { type: 'string', default: String(availableParallelism()) },
    /** Replays one lane of an earlier run: --first-lane 1 --concurrency 1 --documents <n>. */
    'first-lane': { type: 'string', default: '0' },
  },
});

async function main(): Promise<number> {
  const report = await fuzz({
    seed: Number(values.seed),
    documents: Number(values.documents),
    concurrency: Number(values.concurrency),
    firstLane: Number(values['first-lane']),
    progressEvery: 1000,
    log: (line) => console.log(line),
  });
  const counts = ['crashes', 'hangs', 'unanswered', 'slow', 'internalErrors', 'rangesOutside', 'floods'] as const;
  console.log(`\nWaferScope fuzz, seed ${report.seed}: ${report.documents} documents in ${report.seconds.toFixed(0)} s`);
  for (const name of counts) console.log(`  ${name.padEnd(15)} ${report[name]}`);
  console.log(`  ${'over 1 s'.padEnd(15)} ${report.over1s} (of which slow for the server, not only the machine: ${report.slow})`);
  console.log(`  ${'peak RSS'.padEnd(15)} ${report.peakRssMb === undefined ? 'n/a' : `${report.peakRssMb.toFixed(0)} MB`}`);
  if (report.examples.length) console.log(`\nExamples:\n  ${report.examples.join('\n  ')}`);
  const failed = counts.some((name) => report[name] !== 0) || (report.peakRssMb ?? 0) >= 500;
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
