/**
 * Test helper: WCAG 2.x contrast of the text a page shows, from Chromium's
 * computed styles. Contrast ratio and relative luminance as defined in WCAG
 * 2.2 (Understanding SC 1.4.3): (L1 + 0.05) / (L2 + 0.05), with sRGB
 * channels linearised at the 0.04045 knee.
 */
import type { Page } from 'playwright-core';

export interface TextContrast {
  /** A short description of the element: tag, id or class, and its text. */
  readonly element: string;
  readonly fontPx: number;
  readonly ratio: number;
}

/**
 * Every visible element with its own text in an enabled control or none,
 * whose font is smaller than `belowPx`, plus the elements `alsoSelectors`
 * name whatever their size; with the contrast of its text on what is behind it.
 */
export async function textContrasts(page: Page, belowPx: number, alsoSelectors: readonly string[] = []): Promise<TextContrast[]> {
  return page.evaluate(
    ({ belowPx, alsoSelectors }) => {
      const canvas = document.createElement('canvas').getContext('2d')!;
      /** Any CSS colour as [r, g, b, a] in 0-255 and 0-1, via the canvas's own parser. */
      const rgba = (color: string): [number, number, number, number] => {
        canvas.fillStyle = '#000';
        canvas.fillStyle = color;
        const normal = String(canvas.fillStyle);
        if (normal.startsWith('#')) return [1, 3, 5].map((i) => parseInt(normal.slice(i, i + 2), 16)).concat(1) as [number, number, number, number];
        const parts = normal.replace(/^rgba?\(|\)$/g, '').split(',').map(Number);
        return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
      };
      const over = (top: [number, number, number, number], below: [number, number, number]): [number, number, number] =>
        [0, 1, 2].map((i) => top[i]! * top[3] + below[i]! * (1 - top[3])) as [number, number, number];
      const background = (element: Element | null): [number, number, number] => {
        const layers: [number, number, number, number][] = [];
        for (let node = element; node; node = node.parentElement) layers.push(rgba(getComputedStyle(node).backgroundColor));
        let colour: [number, number, number] = [255, 255, 255];
        for (const layer of layers.reverse()) colour = over(layer, colour);
        return colour;
      };
      const luminance = ([r, g, b]: [number, number, number]) => {
        const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
      };
      const also = new Set(alsoSelectors.flatMap((selector) => [...document.querySelectorAll(selector)]));
      const results: { element: string; fontPx: number; ratio: number }[] = [];
      for (const element of document.body.querySelectorAll('*')) {
        const text = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent ?? '').join('').trim();
        if (!text || element.getClientRects().length === 0 || (element as HTMLElement).closest('.visually-hidden, [hidden], :disabled')) continue;
        const style = getComputedStyle(element);
        const fontPx = parseFloat(style.fontSize);
        if (style.visibility !== 'visible' || (fontPx >= belowPx && !also.has(element))) continue;
        const back = background(element);
        const fore = over(rgba(style.color), back);
        const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
        const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.classList.length ? `.${[...element.classList].join('.')}` : ''}`;
        results.push({ element: `${name} "${text.slice(0, 30)}"`, fontPx, ratio: Math.round(((light! + 0.05) / (dark! + 0.05)) * 100) / 100 });
      }
      return results;
    },
    { belowPx, alsoSelectors },
  );
}
