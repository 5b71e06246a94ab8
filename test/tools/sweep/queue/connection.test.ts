/**
 * The --queue URL and connections: a password never shown, TLS for rediss://,
 * and clear errors within seconds for a bad URL (GC770), an unreachable Redis
 * (GC771), a wrong or missing password (GC772) and an unknown sweep (GC777).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphcError } from '../../../../src/common/diagnostics/diagnostic.js';
import { connect, parseQueueUrl, redactUrl } from '../../../../src/tools/sweep/queue/connection.js';
import { sweepStatus } from '../../../../src/tools/sweep/queue/index.js';
import { freePort, redisServer, startRedis, type RedisServer } from '../../../helpers/redis.js';

const PASSWORD = 's3cret-Pa55';

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphcError) return { code: error.diagnostics[0]!.code, message: error.message };
    throw error;
  }
  throw new Error('expected a diagnostic');
}

describe('the --queue URL', () => {
  it('redacts the password wherever the URL is shown', () => {
    expect(redactUrl(`redis://:${PASSWORD}@h:6379`)).toBe('redis://:***@h:6379');
    expect(redactUrl(`rediss://user:${PASSWORD}@h/2`)).toBe('rediss://user:***@h/2');
    expect(redactUrl('redis://h:6379')).toBe('redis://h:6379');
  });

  it('parses host, port, db, user and password; rediss:// means TLS', () => {
    const t = parseQueueUrl(`rediss://alice:${encodeURIComponent('p@ss:word')}@redis.example.com:6380/3`);
    expect(t.options).toMatchObject({ host: 'redis.example.com', port: 6380, db: 3, username: 'alice', password: 'p@ss:word', tls: { servername: 'redis.example.com' } });
    expect(t.display).not.toContain('word');
    expect(parseQueueUrl('redis://127.0.0.1').options).toMatchObject({ port: 6379, db: 0 });
    expect(parseQueueUrl('redis://127.0.0.1').options.tls).toBeUndefined();
  });

  it('GC770: not a redis URL', () => {
    for (const url of ['http://h:6379', 'localhost:6379', `redis://:${PASSWORD}@h/x`]) {
      try {
        parseQueueUrl(url);
        throw new Error('parsed');
      } catch (error) {
        expect((error as GraphcError).diagnostics[0]!.code).toBe('GC770');
        expect((error as Error).message).not.toContain(PASSWORD);
      }
    }
  });

  it('GC771: an unreachable Redis is an error within seconds, not a hang', async () => {
    const port = await freePort();
    const start = Date.now();
    const { code, message } = await codeOf(connect(parseQueueUrl(`redis://:${PASSWORD}@127.0.0.1:${port}`)));
    expect(code).toBe('GC771');
    expect(message).not.toContain(PASSWORD);
    expect(Date.now() - start).toBeLessThan(8_000);
  });
});

const redis = redisServer();
describe.skipIf(!redis.available)(`a Redis with a password${redis.available ? '' : ` (skipped: ${redis.reason})`}`, () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis({ password: PASSWORD });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('GC772: a wrong password says so, and never shows it', async () => {
    const start = Date.now();
    const wrong = await codeOf(connect(parseQueueUrl(`redis://:not-${PASSWORD}@127.0.0.1:${server.port}`)));
    expect(wrong.code).toBe('GC772');
    expect(wrong.message).toContain('check the password');
    expect(wrong.message).not.toContain(PASSWORD);
    const none = await codeOf(connect(parseQueueUrl(`redis://127.0.0.1:${server.port}`)));
    expect(none.code).toBe('GC772');
    expect(Date.now() - start).toBeLessThan(8_000);
  });

  it('connects with the right password', async () => {
    const client = await connect(parseQueueUrl(server.url));
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('GC777: status of a sweep the queue does not hold', async () => {
    const { code } = await codeOf(sweepStatus('no-such-sweep', server.url));
    expect(code).toBe('GC777');
  });

  it('graphc worker: a wrong password is a clear error (exit 1) that does not print the password', () => {
    const start = Date.now();
    const r = spawnSync(process.execPath, ['bin/graphc.js', 'worker', '--queue', `redis://:wrong-${PASSWORD}@127.0.0.1:${server.port}`], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('GC772');
    expect(r.stderr + r.stdout).not.toContain(PASSWORD);
    expect(Date.now() - start).toBeLessThan(15_000);
  });
});
