import { Mrkdwn } from './mrkdwn.js';

type Text = { type?: string; text?: string };
type Block = { type?: string; text?: Text; fields?: Text[]; elements?: (Text & { alt_text?: string })[]; alt_text?: string };

function TextObject({ t }: { t: Text | undefined }) {
  if (!t || typeof t.text !== 'string') return null;
  return t.type === 'mrkdwn' ? <Mrkdwn text={t.text} /> : <>{t.text}</>;
}

function SlackBlock({ b }: { b: Block }) {
  switch (b.type) {
    case 'header':
      return <div class="slack-header">{b.text?.text ?? ''}</div>;
    case 'section':
      return (
        <div class="slack-section">
          {b.text ? (
            <div>
              <TextObject t={b.text} />
            </div>
          ) : null}
          {b.fields?.length ? (
            <div class="slack-fields">
              {b.fields.map((f, i) => (
                <div key={i}>
                  <TextObject t={f} />
                </div>
              ))}
            </div>
          ) : null}
        </div>
      );
    case 'context':
      return (
        <div class="slack-context">
          {(b.elements ?? []).map((e, i) => (
            <span key={i}>{e.type === 'image' ? `[image: ${e.alt_text ?? ''}]` : <TextObject t={e} />}</span>
          ))}
        </div>
      );
    case 'divider':
      return <hr class="slack-divider" />;
    case 'image':
      return <div class="slack-context">[image: {b.alt_text ?? ''}]</div>;
    default:
      return <div class="slack-context">[{String(b.type)} block]</div>;
  }
}

/**
 * A Slack message laid out as Slack shows it: the channel, then the blocks (header, sections
 * with their fields, context, dividers), or the plain text when there are none. Images are named,
 * never loaded.
 */
export function SlackPreview({ payload }: { payload: { channel?: string; text?: string; blocks?: Block[] } }) {
  return (
    <figure class="slack" aria-label={`Slack message to ${payload.channel ?? ''}`}>
      <figcaption class="slack-channel">{payload.channel}</figcaption>
      <div class="slack-message">
        <div class="slack-app">
          enx-relay <span class="slack-tag">APP</span>
        </div>
        {payload.blocks?.length ? payload.blocks.map((b, i) => <SlackBlock key={i} b={b} />) : <Mrkdwn text={payload.text ?? ''} />}
      </div>
      {payload.blocks?.length ? (
        <details class="slack-fallback">
          <summary>Notification text</summary>
          <Mrkdwn text={payload.text ?? ''} />
        </details>
      ) : null}
    </figure>
  );
}
