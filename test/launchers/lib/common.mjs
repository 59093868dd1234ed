// Helpers shared by the test runners and launchers: paths, the results line every tier prints,
// and process-group cleanup (code-server starts children; killing only the leader leaks them).
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * A fresh copy of test/workspace at `dest` (tests may edit it), plus examples/1t as `1t/` when the
 * example exists: copied at run time so the example and what the tests open cannot drift apart.
 */
export function copyTestWorkspace(dest) {
  cpSync(join(repoRoot, 'test', 'workspace'), dest, { recursive: true });
  const example = join(repoRoot, 'examples', '1t');
  if (existsSync(example)) cpSync(example, join(dest, '1t'), { recursive: true });
}

/** run-all parses this exact shape from each tier's output; keep the wording stable. */
export function summaryLine(passed, failed) {
  return `${passed} passed, ${failed} failed`;
}

const SUMMARY_PATTERN = /^(\d+) passed, (\d+) failed\s*$/gm;

/** The last `N passed, N failed` line of a tier's output, or undefined when it printed none. */
export function parseSummary(output) {
  let last;
  for (const match of output.matchAll(SUMMARY_PATTERN)) {
    last = { passed: Number(match[1]), failed: Number(match[2]) };
  }
  return last;
}

/** Every file under `dir` whose name ends with `suffix`, sorted so runs are reproducible. */
export function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findFiles(path, suffix));
    else if (name.endsWith(suffix)) found.push(path);
  }
  return found;
}

/** Resolves when `child` has exited (immediately if it already has). */
export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops every process in the group led by `child` (spawned with `detached: true`): SIGTERM, then
 * SIGKILL for whatever is still there after `graceMs`. Safe to call twice.
 */
export async function killProcessGroup(child, graceMs = 5000) {
  const pgid = child?.pid;
  if (!pgid) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return; // the group is already gone
  }
  const deadline = Date.now() + graceMs;
  await Promise.race([exited(child), new Promise((r) => setTimeout(r, graceMs).unref())]);
  // Children may outlive the leader for a moment; wait for the whole group within the same grace.
  while (groupAlive(pgid) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // raced with the group's own exit
    }
  }
}

/**
 * Processes (other than `exceptPids`) whose command line mentions `marker`, a unique temp path of
 * this run. Some VS Code helpers start their own session, so the group kill misses them; the
 * marker finds exactly the processes this run started and nothing else.
 */
export function processesMentioning(marker, exceptPids = []) {
  const found = [];
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found; // not Linux: nothing to scan
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || exceptPids.includes(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(marker)) found.push({ pid, cmdline: cmdline.trim() });
    } catch {
      // exited while scanning
    }
  }
  return found;
}

export function killPids(pids, signal = 'SIGKILL') {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
