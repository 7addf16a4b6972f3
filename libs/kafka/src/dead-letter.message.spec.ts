import { DLQ_HEADERS, toDeadLetterMessage, type DeadLetter } from './dead-letter.message';

describe('toDeadLetterMessage', () => {
  const letter: DeadLetter = {
    source: { topic: 'activity.events.v1', partition: 7, offset: '1234' },
    message: {
      key: Buffer.from('u_1'),
      value: Buffer.from('{not json'),
      headers: { ce_type: 'app.viewed' },
      timestamp: '0',
    },
    reason: 'undecodable',
    stage: 'decode',
    detail: 'could not be decoded',
  };

  it('keeps the key, the bytes and the headers, and adds the reason, the stage and the source', () => {
    const message = toDeadLetterMessage(letter, new Date(Date.UTC(2026, 10, 22)));
    expect(message.key).toEqual(Buffer.from('u_1'));
    expect(message.value).toEqual(Buffer.from('{not json'));
    expect(message.headers).toEqual({
      ce_type: 'app.viewed',
      [DLQ_HEADERS.reason]: 'undecodable',
      [DLQ_HEADERS.stage]: 'decode',
      [DLQ_HEADERS.detail]: 'could not be decoded',
      [DLQ_HEADERS.sourceTopic]: 'activity.events.v1',
      [DLQ_HEADERS.sourcePartition]: '7',
      [DLQ_HEADERS.sourceOffset]: '1234',
      [DLQ_HEADERS.failedAt]: '2026-11-22T00:00:00.000Z',
    });
  });

  it('cuts a long detail to 1,000 characters', () => {
    const detail = toDeadLetterMessage({ ...letter, detail: 'x'.repeat(5_000) }).headers?.[
      DLQ_HEADERS.detail
    ];
    expect(String(detail)).toHaveLength(1_000);
    expect(String(detail).endsWith('…')).toBe(true);
  });
});
