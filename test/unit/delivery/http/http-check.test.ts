import { expect } from 'chai';
import { httpKind } from '../../../../src/delivery/http/index.js';
import { SECRET, checkContext, httpSpec } from './http-fixtures.js';

const check = (options: Record<string, unknown>) => httpKind.check!(httpSpec({ url: 'https://archive.internal/hooks', ...options }), checkContext());

describe('http destination: rules checks', () => {
  it('a complete, valid destination has no problems', () => {
    expect(
      check({
        method: 'post',
        headers: { Authorization: 'Bearer abc', 'X-Count': 3 },
        timeout: '5s',
        signing_secret: SECRET,
        body: '{"type": {{ type | json }}, "room": {{ room_id | json }}, "files": {{ files | json }}, "expires": {{ expires_at | json }}}',
      }),
    ).to.deep.equal([]);
    expect(check({ body: 'original', timeout: 2500 })).to.deep.equal([]);
  });

  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    ['a missing url', { url: undefined }, 'url', /required/],
    ['a url that does not parse', { url: 'not a url' }, 'url', /not a valid URL/],
    ['a non-http url', { url: 'ftp://files.example/' }, 'url', /http:\/\/ or https:\/\//],
    ['credentials in the url', { url: 'https://user:pw@archive.internal/' }, 'url', /credentials/],
    ['an unsupported method', { method: 'GET' }, 'method', /POST, PUT, PATCH/],
    ['a reserved header', { headers: { 'Webhook-Id': 'x' } }, 'headers.Webhook-Id', /set by the relay/],
    ['an invalid header name', { headers: { 'bad name': 'x' } }, 'headers.bad name', /not a valid header name/],
    ['a header value with a line break', { headers: { 'X-A': 'a\r\nX-Evil: 1' } }, 'headers.X-A', /line break/],
    ['a timeout that is not a duration', { timeout: 'soon' }, 'timeout', /duration/],
    ['a timeout past the limit', { timeout: '5m' }, 'timeout', /30s/],
    ['an unusable signing secret', { signing_secret: 'hunter2-hunter2' }, 'signing_secret', /base64/],
    ['a template that does not compile', { body: '{"a": {{ type | nosuchfilter }}}' }, 'body', /does not compile/],
    ['a template that is not JSON', { body: '{"room": {{ room_id }}' }, 'body', /valid JSON/],
    ['a template that is JSON for some events only', { body: '{% if stage %}{"stage": {{ stage }}}{% endif %}' }, 'body', /"roomdrop" event.*valid JSON/],
    ['a value glued to other text outside quotes', { body: '{"n": 1{{ stage }}}' }, 'body', /whole JSON value/],
    ['a list outside quotes without | json', { body: '{"r": {{ recording }}}' }, 'body', /"recording" event.*json filter/],
  ];
  for (const [what, options, option, message] of bad) {
    it(`reports ${what} at its option`, () => {
      const problems = check(options);
      expect(problems, JSON.stringify(problems)).to.have.length.greaterThan(0);
      expect(problems[0]!.path).to.equal(`rules.yaml:${option}`);
      expect(problems[0]!.message).to.match(message).and.to.match(/^archive: /);
    });
  }

  it('never echoes a secret in a problem', () => {
    const problems = check({ signing_secret: 'my-very-secret-passphrase' });
    expect(JSON.stringify(problems)).not.to.contain('my-very-secret-passphrase');
  });
});
