import { expect } from 'chai';
import { JSON_BODY } from '../../../src/delivery/http/http-options.js';
import { compileTemplate, renderTemplate, renderTemplateSync } from '../../../src/templates/engine.js';
import { exampleView } from '../routing/example-events.js';

/** Renders a JSON template for a view, as an HTTP body template renders. */
const render = (source: string, view: Record<string, unknown>): Promise<string> => renderTemplate(compileTemplate(source, JSON_BODY), view);
const refusal = async (source: string, view: Record<string, unknown>): Promise<string> => {
  try {
    await render(source, view);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`expected ${source} to be refused`);
};

describe('templates: JSON templates keep their structure whatever the event holds', () => {
  it("the issue's body: a room_id that closes the string adds no key", async () => {
    const room = 'x", "approved": true, "r": "';
    const out = JSON.parse(await render('{"room": "{{ room_id }}", "kind": "{{ type }}"}', { room_id: room, type: 'roomdrop' }));
    expect(out).to.deep.equal({ room, kind: 'roomdrop' });
  });

  it('outside quotes a value is one JSON value: text becomes a string, it never adds an element or a key', async () => {
    expect(JSON.parse(await render('[{{ stage }}]', { stage: '1, 2' }))).to.deep.equal(['1, 2']);
    expect(JSON.parse(await render('{"n": {{ x }}}', { x: '1, "a": 2' }))).to.deep.equal({ n: '1, "a": 2' });
    expect(JSON.parse(await render('{"n": {{ x }} }', { x: '}, "a": {' }))).to.deep.equal({ n: '}, "a": {' });
    expect(JSON.parse(await render('{ {{ k }}: 1 }', { k: 'a": 2, "b' }))).to.deep.equal({ 'a": 2, "b': 1 });
  });

  it('numbers, booleans and missing fields outside quotes are JSON numbers, booleans and null', async () => {
    const view = exampleView('transcoded');
    const out = JSON.parse(await render('{"bytes": {{ file_size_bytes }}, "stage": {{ stage }}, "n": {{ stage | plus: 0 }}, "files": {{ files | size }}, "no": {{ cdr.duration_s }}, "t": {{ yes }}}', { ...view, yes: true }));
    expect(out).to.deep.equal({ bytes: 48213377, stage: '1', n: 1, files: 1, no: null, t: true });
  });

  it('a list or an object goes outside quotes only through | json, as one value', async () => {
    const view = exampleView('file-transfer');
    expect(await refusal('{"files": {{ files }}}', view)).to.match(/json filter/);
    const out = JSON.parse(await render('{"files": {{ files | json }}, "to": {{ destination | json }}, "room": {{ room_id | json }}}', view));
    expect(out.files).to.deep.equal(view.files);
    expect(out.to).to.deep.equal(view.destination);
    expect(out.room).to.equal(view.room_id);
  });

  it('| json inside quotes is text: the JSON of the value, escaped, never structure', async () => {
    expect(JSON.parse(await render('["{{ x | json }}"]', { x: ', 1, ' }))).to.deep.equal(['", 1, "']);
    expect(JSON.parse(await render('{"d": "{{ d | json }}"}', { d: { a: 1 } }))).to.deep.equal({ d: '{"a":1}' });
  });

  it('refuses a value glued to other text outside quotes, and a backslash right before a value in a string', async () => {
    expect(await refusal('{"n": 1{{ x }}}', { x: 2 })).to.match(/whole JSON value/);
    expect(await refusal('{"n": {{ a }}{{ b }}}', { a: 1, b: 2 })).to.match(/whole JSON value/);
    expect(await refusal('{"n": -{{ a }}}', { a: 1 })).to.match(/whole JSON value/);
    expect(await refusal('{"n": "\\{{ a }}"}', { a: '"' })).to.match(/backslash/);
  });

  it('control characters, quotes, backslashes and lone surrogates in values stay inside their string', async () => {
    const nasty = 'a"b\\c\n\r\t\u0000\u0001\u0002\u0003\u0004\u001b\u2028\ud800"}';
    const text = await render('{"v": "<{{ v }}>", "w": {{ v }}}', { v: nasty });
    expect(text).not.to.match(/[\u0000-\u001f]/);
    expect(JSON.parse(text)).to.deep.equal({ v: `<${nasty}>`, w: nasty });
  });

  it('loops and conditions are the template\'s structure; capture escapes once, on output', async () => {
    const view = exampleView('recording');
    const loop = '{"files": [{% for f in files %}"{{ f }}"{% unless forloop.last %}, {% endunless %}{% endfor %}]{% if stage %}, "stage": 1{% endif %}}';
    expect(JSON.parse(await render(loop, view))).to.deep.equal({ files: view.files });
    const captured = '{% capture t %}Room "{{ room_id }}"{% endcapture %}{"t": "{{ t }}", "u": {{ t }}}';
    expect(JSON.parse(await render(captured, { room_id: 'r"}' }))).to.deep.equal({ t: 'Room "r"}"', u: 'Room "r"}"' });
  });

  it('refuses a template holding the characters that delimit values', () => {
    expect(() => compileTemplate('{"a": "\u0001"}', JSON_BODY)).to.throw(/control characters/);
  });

  it('the synchronous render (rules checks) gives the same text', async () => {
    const tpl = compileTemplate('{"room": "{{ room_id }}", "n": {{ files | size }}}', JSON_BODY);
    const view = exampleView('recording', { room_id: 'a"b' });
    expect(renderTemplateSync(tpl, view)).to.equal(await renderTemplate(tpl, view));
  });
});
