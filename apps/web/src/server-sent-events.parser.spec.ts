import { ServerSentEventParser } from './server-sent-events.parser';

describe('ServerSentEventParser', () => {
  it('parses the gateway stream: comments, retry, named events with ids, split across chunks', () => {
    const parser = new ServerSentEventParser();
    const stream =
      ': connected\nretry: 3000\n\nevent: activity\nid: 1\ndata: {"a":1}\n\n: heartbeat\n\nevent: activity\nid: 2\ndata: {"a":2}\n\n';
    const events = [];
    for (let i = 0; i < stream.length; i += 7) events.push(...parser.push(stream.slice(i, i + 7)));
    expect(events).toEqual([
      { event: 'activity', id: '1', data: '{"a":1}' },
      { event: 'activity', id: '2', data: '{"a":2}' },
    ]);
  });

  it('joins data lines, defaults the name to message, and accepts CRLF and CR line ends', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('data: one\r\ndata:two\r')).toEqual([]);
    expect(parser.push('\n\r\ndata\rid\r\r')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
    // The last CR may be the first half of a CRLF: the event waits for the next chunk.
    expect(parser.push('\n')).toEqual([{ event: 'message', id: '', data: '' }]);
  });

  it('ignores unknown fields and ids with NUL, and dispatches nothing without data', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('event: overflow\nfoo: bar\nid: a\0b\n\nevent: x\ndata: {}\n\n')).toEqual([
      { event: 'x', data: '{}' },
    ]);
  });
});
