/**
 * Findings 1-3 of issue 12 at the reader: a FIFO, a device, a file outside the workspace and a link
 * pointing out of it are refused without blocking, and a refused file looks like a missing one.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../language-server/core/analyze';
import { readRegularFile, WorkspaceFiles } from '../../../language-server/core/fileAccess';
import { SMALL_TRAINER_MODEL } from '../config/helpers';

const CLUSTER = 'cluster:\n  name: Lab\n  systems: 2\n  memoryx:\n    capacity: 12 TB\n';
const MODEL = SMALL_TRAINER_MODEL;
const SECRET = 'ghp_SECRET0123456789';

describe('file access for references', () => {
  let root: string;
  let workspace: string;
  let outside: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'waferscope-access-'));
    workspace = join(root, 'ws');
    outside = join(root, 'outside');
    mkdirSync(workspace);
    mkdirSync(outside);
    writeFileSync(join(workspace, 'lab.cluster.yaml'), CLUSTER);
    writeFileSync(join(outside, 'secret.cluster.yaml'), `cluster:\n  system: ${SECRET}\n  memoryx:\n    capacity: 12 TB\n`);
    writeFileSync(join(outside, 'plain.cluster.yaml'), CLUSTER);
    symlinkSync(join(outside, 'secret.cluster.yaml'), join(workspace, 'link.cluster.yaml'));
    if (process.platform !== 'win32') execFileSync('mkfifo', [join(workspace, 'fifo.cluster.yaml')]);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads a regular file and refuses a FIFO without blocking', function () {
    if (process.platform === 'win32') this.skip();
    assert.deepEqual(readRegularFile(join(workspace, 'lab.cluster.yaml')), { text: CLUSTER });
    // Were the FIFO opened for reading without O_NONBLOCK, this call would never return.
    assert.deepEqual(readRegularFile(join(workspace, 'fifo.cluster.yaml')), { refused: 'not-a-regular-file' });
  });

  it('refuses devices whose stat size is 0', function () {
    if (process.platform === 'win32') this.skip();
    for (const device of ['/dev/zero', '/dev/urandom', '/dev/full']) {
      assert.deepEqual(readRegularFile(device), { refused: 'not-a-regular-file' }, device);
    }
  });

  it('caps the bytes actually read', () => {
    const big = join(workspace, 'big.yaml');
    writeFileSync(big, 'x'.repeat(1001));
    assert.deepEqual(readRegularFile(big, 1000), { refused: 'too-large' });
    assert.equal((readRegularFile(big, 1001) as { text: string }).text.length, 1001);
  });

  it('reads inside the workspace only, after following links; explicit paths may be outside', () => {
    const files = new WorkspaceFiles({ roots: [workspace] });
    assert.equal(files.read(join(workspace, 'lab.cluster.yaml')), CLUSTER);
    assert.equal(files.read(join(outside, 'plain.cluster.yaml')), undefined);
    assert.equal(files.read(join(workspace, '..', 'outside', 'plain.cluster.yaml')), undefined);
    assert.equal(files.read(join(workspace, 'link.cluster.yaml')), undefined, 'a link out of the workspace is outside');
    assert.equal(files.isInside(join(workspace, 'link.cluster.yaml')), false);
    const explicit = new WorkspaceFiles({ roots: [workspace], explicit: [join(outside, 'plain.cluster.yaml')] });
    assert.equal(explicit.read(join(outside, 'plain.cluster.yaml')), CLUSTER);
    assert.equal(explicit.isInside(join(outside, 'plain.cluster.yaml')), false);
  });

  it('says the same of a missing file and of one outside the workspace', () => {
    const files = new WorkspaceFiles({ roots: [workspace] });
    const options = { readFile: (p: string) => files.read(p), isWorkspaceFile: (p: string) => files.isInside(p) };
    const message = (reference: string) =>
      analyze(join(workspace, 'gpt.yaml'), `# waferscope: cluster=${reference}\n${MODEL}`, options).report.diagnostics.find((d) => d.code === 'cluster-not-found')?.message;
    const missing = message('../outside/nothing-here.cluster.yaml');
    const present = message('../outside/plain.cluster.yaml');
    assert.ok(missing && present);
    assert.equal(present.replace('plain', 'X'), missing.replace('nothing-here', 'X'));
  });

  it('quotes no text of an explicitly named file outside the workspace, and offers no fix that edits it', () => {
    const withSetting = (setting: string) => {
      const files = new WorkspaceFiles({ roots: [workspace], explicit: [setting] });
      return analyze(join(workspace, 'gpt.yaml'), MODEL, {
        readFile: (p) => files.read(p),
        isWorkspaceFile: (p) => files.isInside(p),
        settingClusterPath: setting,
      }).report;
    };
    const text = JSON.stringify(withSetting(join(outside, 'secret.cluster.yaml')).diagnostics);
    assert.match(text, /is not valid \(line 2/, text);
    assert.doesNotMatch(text, /ghp_|SECRET/);
    // A file outside that is valid: used, but its quick fix (MemoryX capacity) would edit it: none.
    const small = join(outside, 'small.cluster.yaml');
    writeFileSync(small, 'cluster:\n  name: hidden-name\n  memoryx:\n    capacity: 1 GB\n');
    const tooSmall = withSetting(small);
    const capacity = tooSmall.diagnostics.find((d) => d.code === 'memoryx-capacity');
    assert.ok(capacity, JSON.stringify(tooSmall.diagnostics));
    assert.equal(capacity.fixes?.some((fix) => fix.edits.some((edit) => edit.file === small)) ?? false, false);
    assert.equal(tooSmall.cluster.name, 'small', 'the name comes from the file name, not its text');
  });
});
