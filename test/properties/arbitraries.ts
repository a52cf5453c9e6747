import fc from 'fast-check';

/** Bounded runs for every property suite: `npm test` stays fast, and each suite stops by itself. */
export const RUNS = { numRuns: 120, interruptAfterTimeLimit: 20_000 } as const;

/** Pieces an attacker would put in an event: markup of every destination kind, controls, oddities. */
export const NASTY = [
  '<!channel>',
  '<!here>',
  '<@U024BE7LH>',
  '<https://evil.example/login|Click to re-authenticate>',
  '", "approved": true, "r": "',
  '1, 2',
  '}, {"x": 1',
  ']',
  '\\',
  '\\"',
  '"',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u0001\u0002\u0003\u0004',
  '\u001b[31m',
  '\u007f\u0085\u009b',
  '\u2028\u2029',
  '\ud800',
  '&',
  '&amp;',
  '<script>alert(1)</script>',
  '{{ room_id }}',
  '{% raw %}',
  '*bold* _it_ ~s~ `code`',
  'Bcc: evil@example.com',
  '🎥',
  'é',
] as const;

/** A string mixing ordinary text with hostile pieces. */
export const hostile = (maxPieces = 6): fc.Arbitrary<string> =>
  fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: maxPieces }).map((parts) => parts.join(''));

/** Non-empty and at most 256 UTF-16 units: what the envelope schema accepts for ids. */
export const hostileId: fc.Arbitrary<string> = fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), hostile(5)).map(([a, b]) => (a + b).slice(0, 256));

/** What the schema refuses in a URL: C0 and C1 controls, DEL. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** A file URL the schema accepts (a scheme, then no control characters), with hostile text in its path. */
export const fileUrl: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('https://portal.enablex.io/recordings/a/b/', 'http://files.example/', 'sftp://host/video/', 'ftp://x/'), hostile(3), fc.constantFrom('rec-1.mkv', 'final 1.mp4', ''))
  .map(([base, mid, name]) => `${base}${mid.replace(CONTROLS, '')}${name}`);

const transDate = fc.oneof(
  fc.integer({ min: 0, max: 4_102_444_800 }),
  fc.integer({ min: 0, max: 4_102_444_800 }).map(String),
  fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2024-11-27T10:16:41', '2024-11-27T15:46:41+05', '2024-11-27 10:16:41.5+0530', '99999999999999999', '0'),
);

const common = {
  trans_date: transDate,
  app_id: hostileId,
  room_id: hostileId,
  conf_num: fc.oneof(hostileId, fc.nat()),
  note: fc.option(hostile(8), { nil: undefined }),
};
const count = fc.oneof(fc.nat(), fc.nat().map(String), fc.constantFrom('', ' ', null));

/** Schema-valid bodies of every documented type and of types EnableX may add, with hostile values. */
export const eventBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ type: fc.constant('roomdrop'), ...common }, { requiredKeys: ['type', 'trans_date', 'app_id', 'room_id', 'conf_num'] }),
  fc.record(
    { type: fc.constant('recording'), ...common, recording: fc.oneof(fileUrl, fc.array(fileUrl, { minLength: 1, maxLength: 30 })) },
    { requiredKeys: ['type', 'trans_date', 'app_id', 'room_id', 'conf_num', 'recording'] },
  ),
  fc.record(
    { type: fc.constant('transcoded'), ...common, recording: fileUrl, stage: count, file_size: count },
    { requiredKeys: ['type', 'trans_date', 'app_id', 'room_id', 'conf_num', 'recording'] },
  ),
  fc.record(
    {
      type: fc.constant('file-transfer'),
      ...common,
      destination: fc.record({ name: fc.oneof(fc.constantFrom('awss3', 'AWSS3', 'ftp', 'sftp', 'ssh', 'scp', 'gdrive', 'Azure'), hostile(3)), host: hostile(3), account: hostile(3) }, { requiredKeys: ['name'] }),
      files: fc.array(fc.record({ url: fileUrl }), { minLength: 1, maxLength: 30 }),
    },
    { requiredKeys: ['type', 'trans_date', 'app_id', 'room_id', 'conf_num', 'destination', 'files'] },
  ),
  fc.record(
    { type: fc.tuple(fc.string({ minLength: 1, maxLength: 3 }), hostile(3)).map(([a, b]) => (a + b).slice(0, 100)), ...common, extra: fc.jsonValue({ maxDepth: 3 }) },
    { requiredKeys: ['type', 'trans_date', 'app_id', 'room_id', 'conf_num'] },
  ),
);
