import type { ReactNode } from 'react';

/**
 * Just enough Markdown for the app's own documents (DASS-21 scoring, model cards): headings, paragraphs, lists,
 * tables, code blocks, and inline code, bold, italics and links. Links are shown as text with their address: the app
 * is offline and never opens a web page.
 */
export function Markdown({ text }: { text: string }) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: ReactNode[] = [];
  let i = 0;
  const key = () => out.length;
  while (i < lines.length) {
    const line = lines[i];
    if (/^```/.test(line)) {
      const body: string[] = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]); i++) body.push(lines[i]);
      i++;
      out.push(<pre key={key()}>{body.join('\n')}</pre>);
    } else if (/^#{1,6}\s/.test(line)) {
      const level = Math.min(4, line.match(/^#+/)![0].length + 1);
      const Tag = `h${level}` as 'h2';
      const title = line.replace(/^#+\s*/, '');
      out.push(
        <Tag key={key()} id={slug(title)}>
          {inline(title)}
        </Tag>,
      );
      i++;
    } else if (/^\s*\|/.test(line)) {
      const rows: string[][] = [];
      for (; i < lines.length && /^\s*\|/.test(lines[i]); i++)
        rows.push(
          lines[i]
            .trim()
            .replace(/^\||\|$/g, '')
            .split('|')
            .map((c) => c.trim()),
        );
      const body = rows.filter((r) => !r.every((c) => /^:?-{2,}:?$/.test(c)));
      out.push(
        <table key={key()} className="list small">
          <thead>
            <tr>
              {body[0].map((c, k) => (
                <th key={k} scope="col">
                  {inline(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {body.slice(1).map((r, k) => (
              <tr key={k}>
                {r.map((c, m) => (
                  <td key={m}>{inline(c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>,
      );
    } else if (/^\s*([-*]|\d+\.)\s/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      for (; i < lines.length && (/^\s*([-*]|\d+\.)\s/.test(lines[i]) || (/^\s{2,}\S/.test(lines[i]) && items.length)); i++) {
        if (/^\s*([-*]|\d+\.)\s/.test(lines[i])) items.push(lines[i].replace(/^\s*([-*]|\d+\.)\s/, ''));
        else items[items.length - 1] += ` ${lines[i].trim()}`;
      }
      const List = ordered ? 'ol' : 'ul';
      out.push(
        <List key={key()}>
          {items.map((t, k) => (
            <li key={k}>{inline(t)}</li>
          ))}
        </List>,
      );
    } else if (line.trim() === '') i++;
    else {
      const para: string[] = [];
      for (; i < lines.length && lines[i].trim() !== '' && !/^(#{1,6}\s|```|\s*\||\s*([-*]|\d+\.)\s)/.test(lines[i]); i++) para.push(lines[i].trim());
      out.push(<p key={key()}>{inline(para.join(' '))}</p>);
    }
  }
  return <div className="markdown">{out}</div>;
}

function inline(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)|(\[[^\]]+\]\([^)]+\))/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const t = m[0];
    if (m[1]) parts.push(<code key={m.index}>{t.slice(1, -1)}</code>);
    else if (m[2]) parts.push(<strong key={m.index}>{t.slice(2, -2)}</strong>);
    else if (m[3]) parts.push(<em key={m.index}>{t.slice(1, -1)}</em>);
    else {
      const [, label, href] = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(t)!;
      parts.push(
        <span key={m.index}>
          {label}
          {/^https?:/.test(href) ? <span className="muted"> ({href})</span> : null}
        </span>,
      );
    }
    last = m.index + t.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** A heading's anchor: lower case, words joined by hyphens ("Comparing two administrations" → comparing-two-administrations). */
export function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
}
