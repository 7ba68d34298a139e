/**
 * A small, strict XML reader and the escaping the EAF writer needs. Enough for ELAN's .eaf files (UTF-8,
 * elements, attributes, text, comments, CDATA, processing instructions, the five predefined entities and
 * character references). A DOCTYPE is refused (no entity expansion, no external fetches); anything
 * malformed throws an XmlError with the line number.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

export class XmlError extends Error {
  constructor(message: string, line: number) {
    super(`XML line ${line}: ${message}`);
    this.name = 'XmlError';
  }
}

/** Escape text content. */
export function escapeText(s: string): string {
  return checkChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape an attribute value (double-quoted); white space that attribute normalisation would eat is kept as references. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function checkChars(s: string): string {
  if (ILLEGAL.test(s)) throw new Error(`text ${JSON.stringify(s)} has a character XML 1.0 cannot represent`);
  return s;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.\u00B7-\uFFFF]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(input: string): XmlElement {
  let src = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  src = src.replace(/\r\n?/g, '\n');
  let pos = 0;
  const lineAt = (p: number) => src.slice(0, p).split('\n').length;
  const fail = (msg: string, p = pos): never => {
    throw new XmlError(msg, lineAt(p));
  };

  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;]*);|&/g, (m, ref: string | undefined) => {
      if (ref === undefined) fail('a bare "&" (write &amp;)', at);
      if (ref!.startsWith('#x') || ref!.startsWith('#X')) {
        const cp = Number.parseInt(ref!.slice(2), 16);
        if (!/^#[xX][0-9a-fA-F]+$/.test(ref!) || !(cp > 0 && cp <= 0x10ffff)) fail(`bad character reference &${ref};`, at);
        return String.fromCodePoint(cp);
      }
      if (ref!.startsWith('#')) {
        const cp = Number(ref!.slice(1));
        if (!/^#\d+$/.test(ref!) || !(cp > 0 && cp <= 0x10ffff)) fail(`bad character reference &${ref};`, at);
        return String.fromCodePoint(cp);
      }
      if (!(ref! in ENTITIES)) fail(`unknown entity &${ref};`, at);
      return ENTITIES[ref!];
    });

  /** At `open`: the text up to the next `close`, with pos moved past it; null when not at `open`. */
  const block = (open: string, close: string, what: string): string | null => {
    if (!src.startsWith(open, pos)) return null;
    const end = src.indexOf(close, pos);
    if (end < 0) fail(`unterminated ${what}`);
    const inner = src.slice(pos + open.length, end);
    pos = end + close.length;
    return inner;
  };
  const processingInstruction = () => block('<?', '?>', 'processing instruction');
  const comment = () => block('<!--', '-->', 'comment');

  const skipMisc = () => {
    for (;;) {
      while (pos < src.length && /\s/.test(src[pos])) pos++;
      if (processingInstruction() !== null || comment() !== null) continue;
      if (src.startsWith('<!DOCTYPE', pos)) fail('a DOCTYPE is not accepted');
      return;
    }
  };

  const parseElement = (): XmlElement => {
    if (src[pos] !== '<') fail('expected an element');
    pos++;
    const name = NAME.exec(src.slice(pos, pos + 200))?.[0];
    if (!name) fail('expected an element name');
    pos += name!.length;
    const el: XmlElement = { name: name!, attrs: {}, children: [], text: '' };
    for (;;) {
      const ws = /^\s*/.exec(src.slice(pos, pos + 1000))![0].length;
      pos += ws;
      if (src.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (src[pos] === '>') {
        pos++;
        break;
      }
      if (ws === 0) fail(`expected white space, ">" or "/>" in <${name}>`);
      const attr = NAME.exec(src.slice(pos, pos + 200))?.[0];
      if (!attr) fail(`bad attribute in <${name}>`);
      pos += attr!.length;
      const eq = /^\s*=\s*/.exec(src.slice(pos, pos + 100));
      if (!eq) fail(`attribute ${attr} has no value`);
      pos += eq![0].length;
      const q = src[pos];
      if (q !== '"' && q !== "'") fail(`attribute ${attr} value must be quoted`);
      const end = src.indexOf(q, pos + 1);
      if (end < 0) fail(`unterminated value of attribute ${attr}`);
      const raw = src.slice(pos + 1, end);
      if (raw.includes('<')) fail(`"<" in the value of attribute ${attr}`);
      if (attr! in el.attrs) fail(`attribute ${attr} given twice in <${name}>`);
      // Attribute-value normalisation: literal white space becomes a space; character references survive.
      el.attrs[attr!] = decode(raw.replace(/[\t\n]/g, ' '), pos);
      pos = end + 1;
    }
    for (;;) {
      if (pos >= src.length) fail(`<${name}> is never closed`);
      if (src.startsWith('</', pos)) {
        const m = /^<\/([^\s>]+)\s*>/.exec(src.slice(pos, pos + 300));
        if (!m) fail(`bad closing tag`);
        if (m![1] !== name) fail(`</${m![1]}> closes <${name}>`);
        pos += m![0].length;
        return el;
      }
      if (comment() !== null) continue;
      const cdata = block('<![CDATA[', ']]>', 'CDATA section');
      if (cdata !== null) el.text += cdata;
      else if (processingInstruction() !== null) continue;
      else if (src[pos] === '<') el.children.push(parseElement());
      else {
        const next = src.indexOf('<', pos);
        const end = next < 0 ? src.length : next;
        el.text += decode(src.slice(pos, end), pos);
        pos = end;
      }
    }
  };

  skipMisc();
  if (pos >= src.length) fail('no root element');
  const root = parseElement();
  skipMisc();
  if (pos < src.length) fail('content after the root element');
  return root;
}

export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
export const childNamed = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name);
