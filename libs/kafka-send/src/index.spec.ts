import * as api from './index';

describe('@chronicle/kafka-send', () => {
  it('exports the confirmed send and its partition tracker, nothing else', () => {
    expect(Object.keys(api).sort()).toEqual(['PartitionTracker', 'confirmedSend']);
  });
});
