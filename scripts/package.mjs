#!/usr/bin/env node
// `npm run package [-- --out <file.vsix>]`: builds waferscope.vsix with no prompt and no flags.
//
// The package is assembled in a temp folder from what .vscodeignore lets through (README, media,
// docs, the example, ...) plus a fresh production build, so it never picks up a stale or
// development dist/ and the working tree's dist/ is left as it was. The package's copy of the
// README embeds its image (scripts/package-readme.mjs), so the details page shows it offline.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { createVSIX, listFiles, PackageManager } from '@vscode/vsce';
import { packageReadme } from './package-readme.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** vsce options shared by packaging and the unit test that lists the package's files. */
export const VSCE_OPTIONS = {
  dependencies: false,
  // The extension is not published from a public repository: nothing is rewritten to a repository
  // URL; the packaged README embeds its image and keeps relative links as text instead.
  allowMissingRepository: true,
  rewriteRelativeLinks: false,
};

/** Files of the working tree that .vscodeignore lets into the package (paths relative to the root). */
export async function packagedSourceFiles(cwd = repoRoot) {
  const files = await listFiles({ cwd, packageManager: PackageManager.None });
  return files.map((file) => relative(cwd, resolve(cwd, file)).split('\\').join('/'));
}

/**
 * Builds the .vsix at `out`; resolves with its path and size. `toStderr`: vsce's listing goes to
 * stderr (it writes with console.log), for callers whose stdout carries something else.
 */
export async function buildVsix(out, { toStderr = false } = {}) {
  const staging = mkdtempSync(join(tmpdir(), 'waferscope-package-'));
  try {
    for (const file of await packagedSourceFiles()) {
      if (file.startsWith('dist/')) continue; // built fresh below
      mkdirSync(dirname(join(staging, file)), { recursive: true });
      cpSync(join(repoRoot, file), join(staging, file));
    }
    cpSync(join(repoRoot, '.vscodeignore'), join(staging, '.vscodeignore'));
    writeFileSync(join(staging, 'README.md'), packageReadme(readFileSync(join(repoRoot, 'README.md'), 'utf8'), repoRoot));
    const build = spawnSync(process.execPath, ['esbuild.config.mjs', '--production', '--outdir', join(staging, 'dist')], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error(`production build failed (exit ${build.status})`);
    mkdirSync(dirname(out), { recursive: true });
    const log = console.log;
    if (toStderr) console.log = (...parts) => process.stderr.write(`${format(...parts)}\n`);
    try {
      await createVSIX({ ...VSCE_OPTIONS, cwd: staging, packagePath: out });
    } finally {
      console.log = log;
    }
    return { path: out, bytes: statSync(out).size };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outFlag = process.argv.indexOf('--out');
  const out = resolve(outFlag > 0 ? process.argv[outFlag + 1] : join(repoRoot, 'waferscope.vsix'));
  try {
    const { path, bytes } = await buildVsix(out);
    console.log(`${relative(process.cwd(), path) || path}: ${Math.round(bytes / 1024)} KB`);
  } catch (error) {
    console.error(`npm run package: ${error.message}`);
    process.exit(1);
  }
}
