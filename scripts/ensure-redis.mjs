// CI: makes sure the Redis the tests use (REDIS_URL, default
// redis://127.0.0.1:6379) answers before the suite starts, so that CI=true
// never meets a missing Redis. The machine's own server is used when it
// answers; otherwise, for a local URL, a redis-server is started on its port
// (installed with apt first when the binary is missing). Exits 1 with the
// reason when none can be had.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';

const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
const port = Number(url.port || 6379);

/** True when something at host:port answers PING with PONG (or a NOAUTH error: a Redis all the same). */
function answersPing() {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

function hasBinary(name) {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main() {
  if (await answersPing()) return 0;
  const local = ['127.0.0.1', 'localhost', '::1'].includes(host);
  if (!local) {
    console.error(
      `breakwater CI: Redis at ${url.host} does not answer, and it is not local to start one`,
    );
    return 1;
  }
  if (!hasBinary('redis-server')) {
    console.log('breakwater CI: installing redis-server with apt for the Redis tests…');
    const apt = spawnSync(
      'sh',
      ['-c', 'apt-get update -qq && apt-get install -y -qq redis-server'],
      {
        stdio: 'inherit',
      },
    );
    if (apt.status !== 0 || !hasBinary('redis-server')) {
      console.error('breakwater CI: could not install redis-server (apt-get failed)');
      return 1;
    }
  }
  console.log(
    `breakwater CI: no Redis answered at ${url.host}; starting redis-server on port ${port}`,
  );
  spawnSync(
    'redis-server',
    [
      '--daemonize',
      'yes',
      '--bind',
      host,
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'inherit' },
  );
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await answersPing()) return 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.error(`breakwater CI: started redis-server, but nothing answers at ${url.host}`);
  return 1;
}

process.exit(await main());
