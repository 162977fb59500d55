/**
 * Test helpers: scenarios written inline (with one standard deployment) and
 * a small XML reader for checking JUnit reports and SVG pictures.
 */
import { parseScenario } from '../../src/scenario/parse/parse-scenario.ts';
import { runScenario, type RunScenarioOptions } from '../../src/scenario/run/run-scenario.ts';
import type { ScenarioResult } from '../../src/scenario/scenario-result.ts';
import type { ScenarioSpec } from '../../src/scenario/parse/scenario-schema.ts';

export const DEPLOYMENT = `deployment:
  users:
    - { id: amos, name: Amos Marble, email: amos@contoso.com, pin: "24680" }
    - { id: bea, name: Bea Lindqvist, email: bea@contoso.com, pin: "86420" }
  conferences:
    - { id: "123456", organizer: amos }
    - { id: "654321", organizer: bea }
`;

/** A scenario with the standard deployment; `body` holds calls (and expect). */
export function scenarioText(body: string, name = 'test scenario'): string {
  return `name: ${name}\n${DEPLOYMENT}${body}`;
}

export function parse(body: string, file = 'inline.yaml'): Promise<ScenarioSpec> {
  return parseScenario(scenarioText(body), file);
}

export async function run(body: string, options: Partial<RunScenarioOptions> = {}): Promise<ScenarioResult> {
  return runScenario(await parse(body), options);
}

/** The steps that reach the leader question of conference 123456. */
export const TO_LEADER_QUESTION = `      - expect: { prompt: enter-conference-id }
      - press: "123456#"
      - expect: { prompt: leader-question }
`;

export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`unknown entity ${whole}`);
    return value;
  });
}

/**
 * Parses well-formed XML (elements, attributes, text, comments, the XML
 * declaration); throws on mismatched tags, bare '&' or '<', duplicate
 * attributes and anything after the root element.
 */
export function parseXml(xml: string): XmlElement {
  let index = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (problem: string): never => {
    throw new Error(`XML at ${index}: ${problem}`);
  };
  while (index < xml.length) {
    if (xml.startsWith('<?', index)) {
      const end = xml.indexOf('?>', index);
      if (end < 0) fail('unterminated declaration');
      index = end + 2;
    } else if (xml.startsWith('<!--', index)) {
      const end = xml.indexOf('-->', index);
      if (end < 0) fail('unterminated comment');
      index = end + 3;
    } else if (xml.startsWith('</', index)) {
      const match = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(xml.slice(index));
      if (!match) fail('bad closing tag');
      const open = stack.pop();
      if (!open || open.name !== match![1]) fail(`</${match![1]}> closes <${open?.name}>`);
      index += match![0].length;
    } else if (xml[index] === '<') {
      const match = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(xml.slice(index));
      if (!match) fail(`bad tag ${xml.slice(index, index + 40)}`);
      const attributes: Record<string, string> = {};
      for (const attribute of match![2]!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (attribute[1]! in attributes) fail(`duplicate attribute ${attribute[1]}`);
        attributes[attribute[1]!] = decodeEntities(attribute[2] ?? attribute[3] ?? '');
      }
      const element: XmlElement = { name: match![1]!, attributes, children: [], text: '' };
      if (stack.length > 0) stack.at(-1)!.children.push(element);
      else if (root) fail('second root element');
      else root = element;
      if (match![3] !== '/') stack.push(element);
      index += match![0].length;
    } else {
      const end = xml.indexOf('<', index);
      const text = xml.slice(index, end < 0 ? xml.length : end);
      if (/&(?!(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);)/.test(text)) fail('bare &');
      if (stack.length === 0) {
        if (text.trim() !== '') fail('text outside the root element');
      } else {
        stack.at(-1)!.text += decodeEntities(text);
      }
      index = end < 0 ? xml.length : end;
    }
  }
  if (stack.length > 0) fail(`<${stack.at(-1)!.name}> is not closed`);
  if (!root) fail('no root element');
  return root!;
}

/** Every element of a tree, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(allElements)];
}
