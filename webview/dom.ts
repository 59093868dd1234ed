/**
 * Small DOM helpers. Text always goes in through `textContent`: config files are user data, and
 * the panel's CSP has no 'unsafe-inline', so no markup strings and no `style=` attributes.
 */

export interface ElementOptions {
  className?: string;
  text?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: (Node | null | undefined)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  setAttrs(node, options.attrs);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: (Node | null | undefined)[] = [],
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
  if (options.className) node.setAttribute('class', options.className);
  if (options.text !== undefined) node.textContent = options.text;
  setAttrs(node, options.attrs);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

function setAttrs(node: Element, attrs: ElementOptions['attrs']): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'style') continue; // blocked by the CSP; use classes.
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

export function clear(node: Element): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** A centred message for a view that has nothing to draw. */
export function placeholder(text: string, detail?: string): HTMLElement {
  return el('div', { className: 'placeholder' }, [
    el('p', { className: 'placeholder-text', text }),
    detail ? el('p', { className: 'placeholder-detail', text: detail }) : null,
  ]);
}

/**
 * Positions a floating tooltip next to the pointer, inside its container. CSSOM properties are
 * allowed under the panel's CSP (only markup `style=` attributes and `<style>` are blocked).
 */
export function placeTooltip(tooltip: HTMLElement, container: HTMLElement, clientX: number, clientY: number): void {
  const box = container.getBoundingClientRect();
  const tipWidth = tooltip.offsetWidth;
  const tipHeight = tooltip.offsetHeight;
  let left = clientX - box.left + 14;
  let top = clientY - box.top + 14;
  if (left + tipWidth > box.width - 4) left = clientX - box.left - tipWidth - 14;
  if (top + tipHeight > box.height - 4) top = clientY - box.top - tipHeight - 14;
  tooltip.style.left = `${Math.max(4, left)}px`;
  tooltip.style.top = `${Math.max(4, top)}px`;
}

/** Fills a tooltip with lines; the first is the title. */
export function setTooltipLines(tooltip: HTMLElement, lines: string[]): void {
  clear(tooltip);
  lines.forEach((line, i) => tooltip.appendChild(el('div', { className: i === 0 ? 'tooltip-title' : 'tooltip-line', text: line })));
}
