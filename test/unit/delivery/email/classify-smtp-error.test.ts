import { expect } from 'chai';
import { classifySmtpError } from '../../../../src/delivery/email/classify-smtp-error.js';

const smtp = (responseCode: number, response = `${responseCode} nope`) => Object.assign(new Error('Message failed'), { code: 'EENVELOPE', responseCode, response });

describe('classifySmtpError', () => {
  for (const code of [421, 450, 451, 452, 503]) {
    it(`${code} is retried`, () => expect(classifySmtpError(smtp(code))).to.include({ kind: 'retry', statusCode: code }));
  }
  for (const [code, reason] of [[550, 'client'], [552, 'client'], [554, 'client'], [535, 'auth']] as const) {
    it(`${code} is permanent (${reason})`, () => {
      const o = classifySmtpError(smtp(code));
      expect(o).to.include({ kind: 'permanent', reason, statusCode: code });
      expect(o.kind === 'permanent' && o.error).to.match(new RegExp(`^smtp_${code}: `));
    });
  }
  it('connection failures and timeouts are retried', () => {
    expect(classifySmtpError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).to.include({ kind: 'retry', reason: 'network' });
    expect(classifySmtpError(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }))).to.include({ kind: 'retry', reason: 'timeout' });
  });
  it('missing credentials are permanent', () => {
    expect(classifySmtpError(Object.assign(new Error('Missing credentials for "PLAIN"'), { code: 'EAUTH' }))).to.include({ kind: 'permanent', reason: 'auth' });
  });
});
