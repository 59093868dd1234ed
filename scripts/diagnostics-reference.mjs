// The page a diagnostic's code link opens: the README's "### Diagnostic codes" section as a page of
// its own, one `#### <code>` heading per code (VS Code's Markdown preview turns each into an anchor
// with the code as its id, which the link's fragment names).

const SECTION_HEADING = /^### Diagnostic codes\s*$/m;
const NEXT_SECTION = /^#{1,3} /m;

/** Throws when the README has no diagnostic-code section: a build without it would ship dead links. */
export function diagnosticsReference(readme, version) {
  const start = SECTION_HEADING.exec(readme);
  if (!start) throw new Error('README.md has no "### Diagnostic codes" section; diagnostic links need it');
  const body = readme.slice(start.index + start[0].length);
  const end = NEXT_SECTION.exec(body);
  const section = (end ? body.slice(0, end.index) : body).trim();
  // One level below the page title; the heading text (the code) stays the anchor.
  // The section's introduction speaks of the README; the page has its own.
  const entries = section.slice(Math.max(0, section.search(/^#### /m))).replace(/^#### /gm, '## ');
  return [
    '# WaferScope diagnostic codes',
    '',
    `WaferScope ${version}. Every diagnostic WaferScope reports carries one of these codes; its link in`,
    'the Problems panel and in the hover opens the entry here. The same reference is in the README.',
    '',
    entries,
    '',
  ].join('\n');
}
