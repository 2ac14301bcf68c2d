import { describeRedisError, type RedisErrorLine, RedisErrorLog } from './redis-error-log.js';

const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');

describe('RedisErrorLog', () => {
  let lines: RedisErrorLine[];
  let log: RedisErrorLog;

  beforeEach(() => {
    lines = [];
    log = new RedisErrorLog((line) => lines.push(line), 30_000);
  });

  it('writes the first error at once, naming who met it', () => {
    log.report('queue ingest', refused, 0);
    expect(lines).toEqual([
      { message: 'connect ECONNREFUSED 127.0.0.1:6379', source: 'queue ingest', repeats: 0, repeatedBy: [] },
    ]);
  });

  it('counts the same error within the interval, then writes it again with the count and who met it', () => {
    log.report('queue ingest', refused, 0);
    log.report('worker ingest', refused, 100);
    log.report('queue projections', refused, 200);
    log.report('worker ingest', refused, 29_999);
    expect(lines).toHaveLength(1);
    log.report('queue ingest', refused, 30_000);
    expect(lines[1]).toEqual({
      message: 'connect ECONNREFUSED 127.0.0.1:6379',
      source: 'queue ingest',
      repeats: 3,
      repeatedBy: ['queue projections', 'worker ingest'],
    });
    log.report('queue ingest', refused, 30_001);
    expect(lines).toHaveLength(2);
  });

  it('writes a different error at once, whatever the other is doing', () => {
    log.report('queue ingest', refused, 0);
    log.report('worker ingest', new Error('READONLY You cannot write against a read only replica.'), 10);
    expect(lines.map((line) => line.message)).toEqual([
      'connect ECONNREFUSED 127.0.0.1:6379',
      'READONLY You cannot write against a read only replica.',
    ]);
  });

  it('reads as a sentence, with the count once there is one', () => {
    expect(
      describeRedisError({
        message: 'connect ECONNREFUSED 127.0.0.1:6379',
        source: 'queue ingest',
        repeats: 0,
        repeatedBy: [],
      }),
    ).toBe(
      'Redis: connect ECONNREFUSED 127.0.0.1:6379 (queue ingest); queued work waits and BullMQ reconnects until Redis is back',
    );
    expect(
      describeRedisError({
        message: 'connect ECONNREFUSED 127.0.0.1:6379',
        source: 'worker ingest',
        repeats: 41,
        repeatedBy: ['queue ingest', 'worker ingest'],
      }),
    ).toBe(
      'Redis: connect ECONNREFUSED 127.0.0.1:6379 (worker ingest); queued work waits and BullMQ reconnects until Redis is back; 41 more since the last such line, from queue ingest, worker ingest',
    );
  });
});
