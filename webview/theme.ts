/**
 * Theme colours for the canvas. SVG and HTML follow the theme through `var(--vscode-*)` in
 * panel.css; a canvas cannot, so it reads the computed values and redraws when VS Code switches
 * theme (VS Code changes the body class and the variables on <html>).
 */

export interface CanvasTheme {
  background: string;
  foreground: string;
  muted: string;
  /** PEs with nothing on them. */
  idle: string;
  /** Die boundaries: dashes of `dieLine` over a solid `dieShadow`, visible on any cell colour. */
  dieLine: string;
  dieShadow: string;
  regionLine: string;
  highlight: string;
  fontFamily: string;
  highContrast: boolean;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value || fallback;
}

export function themeKind(): 'light' | 'dark' | 'high-contrast' | 'high-contrast-light' {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readCanvasTheme(): CanvasTheme {
  const style = getComputedStyle(document.body);
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const highContrast = kind.startsWith('high-contrast');
  const foreground = cssVar(style, '--vscode-editor-foreground', light ? '#333333' : '#cccccc');
  return {
    background: cssVar(style, '--vscode-editor-background', light ? '#ffffff' : '#1e1e1e'),
    foreground,
    muted: cssVar(style, '--vscode-descriptionForeground', light ? '#717171' : '#9d9d9d'),
    // Idle PEs: a neutral grey a step away from the background, so they read as "empty", not as a colour.
    idle: highContrast ? (light ? '#ffffff' : '#000000') : light ? '#d4d4d4' : '#3a3a3a',
    dieLine: highContrast ? cssVar(style, '--vscode-contrastBorder', foreground) : 'rgba(255, 255, 255, 0.8)',
    dieShadow: 'rgba(0, 0, 0, 0.5)',
    regionLine: 'rgba(255, 255, 255, 0.9)',
    highlight: cssVar(style, '--vscode-focusBorder', '#007fd4'),
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
    highContrast,
  };
}

/** Calls `onChange` when the theme changes; returns the disconnect function. */
export function observeTheme(onChange: () => void): () => void {
  let scheduled = false;
  const fire = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      onChange();
    });
  };
  const observer = new MutationObserver(fire);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
