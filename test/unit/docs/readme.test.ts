/**
 * The README is the reference diagnostics link to (`codeDescription`) and the place users read
 * what each assumption is: it must document every code, constant, command and setting that ships.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DIAGNOSTIC_CODES } from '../../../language-server/core/diagnosticCodes';
import { hardwareConstants } from '../../../language-server/core/sim/hardware';

const readme = readFileSync('README.md', 'utf8');
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, unknown> }[];
    menus: { commandPalette?: { command: string; when?: string }[] };
  };
};
/** Commands kept out of the palette (links run them) are not for the README. */
const hidden = new Set((manifest.contributes.menus.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));

describe('README reference', () => {
  it('has an anchor heading for every diagnostic code', () => {
    const headings = new Set([...readme.matchAll(/^#### ([a-z0-9-]+)\s*$/gm)].map((m) => m[1]));
    const missing = DIAGNOSTIC_CODES.filter((code) => !headings.has(code));
    assert.deepEqual(missing, [], `README lacks "#### <code>" for: ${missing.join(', ')}`);
  });

  it('lists every hardware constant of both presets, and flags the assumptions', () => {
    for (const preset of ['cs-3', 'cs-2'] as const) {
      for (const constant of hardwareConstants(preset)) {
        const row = readme.split('\n').find((line) => line.startsWith(`| \`${constant.name}\` |`));
        assert.ok(row, `README has no row for ${constant.name}`);
        if (constant.assumption) assert.match(row, /\*\*assumption\*\*/, `${constant.name} is an assumption but the README does not say so`);
      }
    }
  });

  it('names every command and setting the extension contributes', () => {
    for (const command of manifest.contributes.commands.filter((c) => !hidden.has(c.command))) {
      assert.ok(readme.includes(`${command.category}: ${command.title}`), `README does not mention "${command.category}: ${command.title}"`);
    }
    for (const setting of manifest.contributes.configuration.flatMap((group) => Object.keys(group.properties))) {
      assert.ok(readme.includes(`\`${setting}\``), `README does not mention ${setting}`);
    }
  });
});
