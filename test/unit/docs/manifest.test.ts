/**
 * What a marketplace and a fresh install need from the manifest and the package: a real icon,
 * grouped and described settings, the Restricted Mode contract, a changelog for this version, a
 * walkthrough whose steps complete on events the extension really produces, and a package whose
 * README shows its image offline and that holds the page the diagnostic links open.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { DIAGNOSTIC_CODES } from '../../../language-server/core/diagnosticCodes';

interface Setting {
  description?: string;
  markdownDescription?: string;
}
interface Step {
  id: string;
  title: string;
  media: { markdown?: string; image?: string };
  completionEvents: string[];
}
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string;
  icon: string;
  preview: boolean;
  categories: string[];
  keywords: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: {
    commands: { command: string }[];
    configuration: { title: string; properties: Record<string, Setting> }[];
    walkthroughs: { id: string; steps: Step[] }[];
  };
};
const extensionSource = ['main.ts', 'ctx.ts', 'reference.ts', 'welcome.ts', 'commands.ts']
  .map((file) => readFileSync(`extension/${file}`, 'utf8'))
  .join('\n');

/** The marketplace's category list (the names VS Code's manifest schema accepts). */
const MARKETPLACE_CATEGORIES = new Set([
  'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps',
  'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Others', 'Programming Languages',
  'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization', 'AI',
]);

describe('extension manifest', () => {
  it('has a PNG icon of at least 128 x 128 pixels', () => {
    const png = readFileSync(manifest.icon);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    // IHDR is the first chunk: width and height are big-endian at bytes 16 and 20.
    assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, `icon is ${png.readUInt32BE(16)} x ${png.readUInt32BE(20)}`);
  });

  it('is a preview with marketplace categories, keywords and a changelog entry for this version', () => {
    assert.equal(manifest.preview, true);
    for (const category of manifest.categories) assert.ok(MARKETPLACE_CATEGORIES.has(category), `unknown category ${category}`);
    assert.ok(manifest.keywords.length >= 5 && manifest.keywords.length <= 30, `${manifest.keywords.length} keywords`);
    assert.match(readFileSync('CHANGELOG.md', 'utf8'), new RegExp(`^## ${manifest.version.replaceAll('.', '\\.')}\\b`, 'm'));
  });

  it('groups every setting under a titled section, each with a description', () => {
    assert.ok(Array.isArray(manifest.contributes.configuration) && manifest.contributes.configuration.length > 1);
    for (const group of manifest.contributes.configuration) {
      assert.ok(group.title, 'a settings group without a title');
      for (const [name, setting] of Object.entries(group.properties)) {
        assert.ok((setting.markdownDescription ?? setting.description ?? '').length > 20, `${name} has no real description`);
      }
    }
  });

  it('runs in Restricted Mode with the cluster setting restricted', () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.ok(untrusted.restrictedConfigurations?.includes('waferscope.cluster'));
  });

  it('has a walkthrough whose steps complete on events the extension produces', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.ok(walkthrough.steps.length >= 5);
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents.length > 0, `${step.id} completes only when clicked`);
      for (const event of step.completionEvents) {
        const [kind, name] = event.split(/:(.*)/s);
        if (kind === 'onCommand') {
          // The planner's command comes from another change; every other one must be contributed here.
          if (name !== 'waferscope.planTrainingRun') assert.ok(commands.has(name), `${step.id}: ${name} is not a contributed command`);
        } else {
          assert.equal(kind, 'onContext', `${step.id}: ${event}`);
          assert.ok(extensionSource.includes(`'${name}'`), `${step.id}: the extension never sets ${name}`);
        }
      }
      if (step.media.markdown) assert.ok(existsSync(step.media.markdown), `${step.id}: ${step.media.markdown} is missing`);
    }
  });
});

describe('package contents', () => {
  // vsce decides what ships (.vscodeignore); ask it, through the packaging script, for the list.
  const packaged = new Set(
    JSON.parse(
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', "import { packagedSourceFiles } from './scripts/package.mjs'; console.log(JSON.stringify(await packagedSourceFiles()))"],
        { encoding: 'utf8' },
      ),
    ) as string[],
  );

  it("packages a README whose images are embedded and whose relative links are plain text", () => {
    const readme = readFileSync('README.md', 'utf8');
    const packagedReadme = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "import { packageReadme } from './scripts/package-readme.mjs'; import { readFileSync } from 'node:fs'; process.stdout.write(packageReadme(readFileSync('README.md', 'utf8'), '.'))"],
      { encoding: 'utf8', maxBuffer: 16 << 20 },
    );
    const targets = (text: string) => [...text.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => ({ image: m[1] === '!', target: m[2] }));
    const relative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');
    const images = targets(readme).filter((t) => t.image);
    assert.ok(images.length > 0, 'the README shows an image');
    assert.deepEqual(targets(packagedReadme).filter((t) => relative(t.target)), [], 'relative targets left');
    assert.equal(targets(packagedReadme).filter((t) => t.image && t.target.startsWith('data:image/')).length, images.length);
    // Everything but the links is the README itself.
    assert.ok(packagedReadme.includes('### Diagnostic codes') && packagedReadme.includes('## Tests and benchmarks'));
  });

  it('holds the reference page the diagnostic links open, with an entry per code', () => {
    assert.ok(packaged.has('dist/diagnostics.md'));
    const page = readFileSync('dist/diagnostics.md', 'utf8');
    const missing = DIAGNOSTIC_CODES.filter((code) => !new RegExp(`^## ${code}$`, 'm').test(page));
    assert.deepEqual(missing, [], `dist/diagnostics.md has no entry for ${missing.join(', ')}`);
  });

  it('holds the walkthrough media and the example it opens, and no sources, tests, maps or docs', () => {
    for (const file of ['examples/1t/gpt-1t.yaml', 'examples/1t/small-12tb.cluster.yaml', 'CHANGELOG.md', manifest.icon]) {
      assert.ok(packaged.has(file), `${file} is not packaged`);
    }
    const unwanted = [...packaged].filter((file) => /\.(ts|map)$/.test(file) || /^(test|docs|dist\/test)\//.test(file));
    assert.deepEqual(unwanted, []);
  });
});
