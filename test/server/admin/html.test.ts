import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../../src/server/admin/html.ts';

describe('html templates', () => {
  it('escapes every character that could end text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
  });

  it('escapes interpolated values but keeps nested templates and joins arrays', () => {
    const name = '<img src=x onerror=alert(1)>';
    const page = html`<p title="${'"><script>'}">${name}${[html`<b>${'&'}</b>`, '<i>']}</p>`;
    expect(page.text).toBe('<p title="&quot;&gt;&lt;script&gt;">&lt;img src=x onerror=alert(1)&gt;<b>&amp;</b>&lt;i&gt;</p>');
  });

  it('writes nothing for undefined, null and false, and numbers as text', () => {
    expect(html`${undefined}${null}${false}${0}${12}`.text).toBe('012');
  });
});
