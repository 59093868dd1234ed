/**
 * The same numbers as plain HTML (a table screen readers read and people copy), then the
 * diagnostics and the constants and assumptions behind the numbers.
 */
import type { Report, ResultNotification, TimelineResult } from '../protocol/index';
import { clear, el, placeholder } from './dom';
import { constantValueText, sortedConstants, sortedDiagnostics, summaryRows } from './viewModel';

export class SummaryView {
  readonly root: HTMLElement;
  private readonly content: HTMLElement;

  constructor() {
    this.content = el('div', { className: 'summary-content' });
    this.root = el('section', { className: 'view summary-view scrolling', attrs: { 'aria-label': 'Summary' } }, [this.content]);
  }

  render(result: ResultNotification | null, timeline?: TimelineResult, systems?: number): void {
    clear(this.content);
    const report = result?.report;
    if (!report) {
      this.content.appendChild(placeholder('Nothing to summarise.'));
      return;
    }
    const rows = summaryRows(report, timeline, systems);
    if (rows.length) {
      const table = el('table', { className: 'summary-table' });
      table.appendChild(el('caption', { text: report.file ? `WaferScope report: ${baseName(report.file)}` : 'WaferScope report' }));
      let section = '';
      let body: HTMLTableSectionElement | undefined;
      for (const row of rows) {
        if (row.section !== section) {
          section = row.section;
          body = el('tbody');
          body.appendChild(el('tr', { className: 'section-row' }, [el('th', { text: section, attrs: { colspan: 2, scope: 'colgroup' } })]));
          table.appendChild(body);
        }
        body!.appendChild(
          el('tr', {}, [
            el('th', { text: row.label, attrs: { scope: 'row' } }),
            el('td', { text: row.value, className: row.problem ? 'problem' : undefined }),
          ]),
        );
      }
      this.content.appendChild(table);
    }
    this.renderDiagnostics(report);
    this.renderConstants(report);
  }

  private renderDiagnostics(report: Report): void {
    const diagnostics = sortedDiagnostics(report);
    this.content.appendChild(el('h2', { className: 'section-title', text: `Diagnostics (${diagnostics.length})` }));
    if (!diagnostics.length) {
      this.content.appendChild(el('p', { className: 'hint', text: 'No problems found.' }));
      return;
    }
    const list = el('ul', { className: 'diagnostic-list' });
    for (const d of diagnostics) {
      const line = d.range ? ` (line ${d.range.start.line + 1})` : '';
      list.appendChild(
        el('li', { className: `diagnostic severity-${d.severity}` }, [
          el('span', { className: 'severity-badge', text: d.severity === 'information' ? 'info' : d.severity }),
          el('code', { className: 'diagnostic-code', text: d.code }),
          el('span', { className: 'diagnostic-message', text: `${d.message}${line}` }),
        ]),
      );
    }
    this.content.appendChild(list);
  }

  private renderConstants(report: Report): void {
    const constants = sortedConstants(report.constants);
    if (!constants.length) return;
    const assumptions = constants.filter((c) => c.assumption).length;
    this.content.appendChild(
      el('h2', {
        className: 'section-title',
        text: `Constants and assumptions (${constants.length}, ${assumptions} assumption${assumptions === 1 ? '' : 's'})`,
      }),
    );
    const table = el('table', { className: 'constants-table' });
    table.appendChild(
      el('thead', {}, [
        el('tr', {}, [
          el('th', { text: 'Constant', attrs: { scope: 'col' } }),
          el('th', { text: 'Value', attrs: { scope: 'col' } }),
          el('th', { text: 'Source', attrs: { scope: 'col' } }),
        ]),
      ]),
    );
    const body = el('tbody');
    for (const c of constants) {
      const flags: HTMLElement[] = [];
      if (c.assumption) flags.push(el('span', { className: 'flag assumption', text: 'assumption' }));
      if (c.overridden) flags.push(el('span', { className: 'flag overridden', text: 'overridden' }));
      body.appendChild(
        el('tr', { className: c.assumption ? 'is-assumption' : undefined }, [
          el('th', { attrs: { scope: 'row' } }, [el('code', { text: c.name }), ...flags]),
          el('td', { className: 'numeric', text: constantValueText(c) }),
          el('td', { text: c.source }),
        ]),
      );
    }
    table.appendChild(body);
    this.content.appendChild(table);
  }
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
