/**
 * The text of a new cluster file: what the completion snippet and the "create a cluster file"
 * quick fix write. One template, so both read alike (comments aligned in one column).
 */

/** The lines of a cluster file, `[code, comment]`; `${n:...}` placeholders only in the snippet. */
function clusterLines(name: string, system: string, systems: string, capacity: string): [string, string][] {
  return [
    ['cluster:', ''],
    [`  name: ${name}`, ''],
    [`  system: ${system}`, 'hardware preset (cs-3, cs-2); constants can be overridden below'],
    [`  systems: ${systems}`, 'CS-X systems available'],
    ['  memoryx:', ''],
    [`    capacity: ${capacity}`, 'bytes, or a number with a unit (TB = 1e12 B, TiB = 2^40 B)'],
    ['  overrides: {}', 'documented hardware constants by name'],
  ];
}

/** Comments start in one column, two spaces after the longest line (as rendered, placeholders stripped). */
function render(lines: [string, string][], visibleLength: (code: string) => number): string {
  const width = Math.max(...lines.filter(([, c]) => c).map(([code]) => visibleLength(code)));
  return `${lines
    .map(([code, comment]) => (comment ? `${code}${' '.repeat(width - visibleLength(code) + 2)}# ${comment}` : code))
    .join('\n')}\n`;
}

export function newClusterFileText(name: string, system: string, systems: number, capacity: string): string {
  return render(clusterLines(name, system, String(systems), capacity), (code) => code.length);
}

/** The completion snippet: the same file with tab stops. */
export function clusterSnippet(): string {
  const lines = clusterLines('${1:my-cluster}', '${2|cs-3,cs-2|}', '${3:1}', '${4:55 TB}');
  // Width as the user sees it once the placeholders hold their defaults.
  const visible = (code: string) => code.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').length;
  return render(lines, visible);
}
