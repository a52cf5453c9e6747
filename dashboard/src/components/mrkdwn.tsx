import type { ComponentChild } from 'preact';

/**
 * Slack's mrkdwn as Slack shows it, built from text nodes only: `<url|label>` links (http,
 * https and mailto; anything else stays text), `<!date^...|fallback>`, mentions, *bold*,
 * _italic_, ~strike~, `code`, ```blocks```, > quotes, and the three entities Slack escapes.
 */
export function Mrkdwn({ text }: { text: string }) {
  const blocks = text.split(/```/);
  return (
    <>
      {blocks.map((part, i) =>
        i % 2 === 1 ? (
          <pre class="slack-pre" key={i}>
            {decode(part)}
          </pre>
        ) : (
          <span key={i}>{lines(part)}</span>
        ),
      )}
    </>
  );
}

function lines(text: string): ComponentChild[] {
  return text.split('\n').flatMap((line, i) => {
    const quote = /^(&gt;|>) ?/.exec(line);
    const body = quote ? <span class="slack-quote">{inline(line.slice(quote[0].length))}</span> : inline(line);
    return i === 0 ? [body] : [<br key={`br${i}`} />, body];
  });
}

const ANGLE = /<([^<>\n]+)>/g;

function inline(text: string): ComponentChild[] {
  const out: ComponentChild[] = [];
  let last = 0;
  for (const m of text.matchAll(ANGLE)) {
    out.push(...styled(text.slice(last, m.index)));
    out.push(angle(m[1]!));
    last = m.index! + m[0].length;
  }
  out.push(...styled(text.slice(last)));
  return out;
}

function angle(inner: string): ComponentChild {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('!date^')) return decode(label ?? target);
  if (target === '!channel' || target === '!here' || target === '!everyone') return <span class="slack-mention">@{target.slice(1)}</span>;
  if (target.startsWith('@')) return <span class="slack-mention">@{decode(label ?? target.slice(1))}</span>;
  if (target.startsWith('#')) return <span class="slack-mention">#{decode(label ?? target.slice(1))}</span>;
  const url = decode(target);
  const shown = decode(label ?? target);
  if (/^(https?:|mailto:)/i.test(url)) {
    return (
      <a href={url} rel="noopener noreferrer nofollow" target="_blank" title={url}>
        {shown}
      </a>
    );
  }
  return shown;
}

// `code` first (nothing inside it is styled), then *bold*, _italic_, ~strike~ at word edges.
const STYLE = /`([^`\n]+)`|(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,;:!?])|(^|[\s(])_([^_\n]+)_(?=$|[\s).,;:!?])|(^|[\s(])~([^~\n]+)~(?=$|[\s).,;:!?])/g;

function styled(text: string): ComponentChild[] {
  const out: ComponentChild[] = [];
  let last = 0;
  for (const m of text.matchAll(STYLE)) {
    const lead = m[2] ?? m[4] ?? m[6] ?? '';
    out.push(decode(text.slice(last, m.index) + lead));
    if (m[1] !== undefined) out.push(<code class="slack-code">{decode(m[1])}</code>);
    else if (m[3] !== undefined) out.push(<strong>{styled(m[3])}</strong>);
    else if (m[5] !== undefined) out.push(<em>{styled(m[5])}</em>);
    else if (m[7] !== undefined) out.push(<s>{styled(m[7])}</s>);
    last = m.index! + m[0].length;
  }
  out.push(decode(text.slice(last)));
  return out.filter((x) => x !== '');
}

const decode = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function splitOnce(s: string, sep: string): [string, string?] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}
