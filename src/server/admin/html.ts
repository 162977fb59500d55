/**
 * The one way admin and /me pages build HTML. Every value interpolated into
 * an `html` template is escaped for text and for quoted attribute values
 * (& < > " ' and the backtick), unless it is itself an `Html` made by this
 * module; arrays are joined. There is no other way to put a string into a
 * page, so a user's name or e-mail address such as
 * `<img src=x onerror=alert(1)>` is shown as text, never run.
 */
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** HTML that is already safe: markup from a template, with escaped values. */
export class Html {
  readonly text: string;
  private constructor(text: string) {
    this.text = text;
  }

  /** Only this module makes Html (from templates), so no caller can wrap a raw string. */
  static fromTemplate(strings: TemplateStringsArray, values: readonly unknown[]): Html {
    let text = strings[0] ?? '';
    for (let i = 0; i < values.length; i++) text += render(values[i]) + (strings[i + 1] ?? '');
    return new Html(text);
  }

  toString(): string {
    return this.text;
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => ESCAPES[char]!);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** A template whose interpolated values are escaped (Html values and arrays of them are kept as they are). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return Html.fromTemplate(strings, values);
}
