/**
 * Whether text can be read: contrast of every visible text against what is painted behind it,
 * computed from the styles the browser applied (WCAG 2 relative luminance).
 */
import type { Page } from '@playwright/test';

/**
 * Every visible text under `within` whose contrast with what is behind it is below WCAG AA
 * (4.5:1, or 3:1 for large text), as `text: ratio`. Disabled controls are exempt, as in WCAG.
 */
export async function unreadable(page: Page, within = 'body'): Promise<string[]> {
  return page.evaluate((within) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba | null => {
      const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)/.exec(css);
      if (!m) return null;
      const alpha = m[4] === undefined ? 1 : Number(m[4]) / (m[5] ? 100 : 1);
      return [Number(m[1]), Number(m[2]), Number(m[3]), alpha];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
    };
    const luminance = (c: Rgba) => {
      const lin = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(c[0] / 255) + 0.7152 * lin(c[1] / 255) + 0.0722 * lin(c[2] / 255);
    };
    const problems: string[] = [];
    const root = document.querySelector(within);
    if (!root) return [`nothing matches ${within}`];
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
      if (!own || !(el instanceof HTMLElement) || el.closest(':disabled, [aria-hidden="true"], option')) continue;
      const box = el.getBoundingClientRect();
      if (box.width < 2 || box.height < 2 || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      // What is painted behind the text: the nearest backgrounds, composited up to an opaque one;
      // and how much the text's own and its ancestors' opacity lets that background through.
      const layers: Rgba[] = [];
      let opacity = 1;
      let reachedBackground = false;
      for (let e: Element | null = el; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (!reachedBackground) opacity *= Number(style.opacity);
        const bg = parse(style.backgroundColor);
        if (bg && bg[3] > 0) {
          reachedBackground = true;
          layers.push(bg);
          if (bg[3] >= 1) break;
        }
      }
      let behind: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) behind = over(layer, behind);
      const style = getComputedStyle(el);
      const color = parse(style.color);
      if (!color) {
        problems.push(`${own}: colour ${style.color} not understood`);
        continue;
      }
      const text = over([color[0], color[1], color[2], color[3] * opacity], behind);
      const [hi, lo] = [luminance(text), luminance(behind)].sort((a, b) => b - a) as [number, number];
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`${own.slice(0, 40)}: ${ratio.toFixed(2)}`);
    }
    return problems;
  }, within);
}

