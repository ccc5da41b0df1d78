import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const FIXTURE = path.join(__dirname, 'fixtures', 'flaky-start-service.ts');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
    cwd: path.join(__dirname, '..', '..', '..'),
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * runService starts a service again when a dependency goes away while it starts (a database
 * restart between its wait and the app's start), instead of exiting to be restarted in a loop; any
 * other failure still ends the process with status 1.
 */
describe('runService when a dependency goes away while the service starts', () => {
  const running: Started[] = [];
  afterAll(async () => {
    for (const s of running) {
      if (s.child.exitCode === null) s.child.kill('SIGTERM');
      await s.exited;
    }
  });

  it('starts again until the dependency answers, then serves', async () => {
    const service = start({ PORT: '0', FLAKY_FAILURES: '2' });
    running.push(service);
    let port: string | undefined;
    for (const deadline = Date.now() + 30_000; !port && Date.now() < deadline; ) {
      port = /intake listening on http:\/\/[^:]+:(\d+)/.exec(service.output())?.[1];
      if (!port) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const answer = await (await fetch(`http://127.0.0.1:${port}/attempts`)).json();
    expect(answer).toEqual({ attempts: 3 });
    expect(service.output()).toContain('a dependency went away while starting (connect ECONNREFUSED 127.0.0.1:5432); starting again (attempt 1)');
    expect(service.output()).toContain('starting again (attempt 2)');
    expect(service.output()).not.toContain('attempt 3');
  });

  it('ends with status 1 on a failure that is not a dependency going away', async () => {
    const service = start({ PORT: '0', FLAKY_FAILURES: '1', FLAKY_THEN: 'bug' });
    running.push(service);
    expect(await service.exited).toBe(1);
    expect(service.output()).toContain('starting again (attempt 1)');
    expect(service.output()).toContain('failed to start: Error: a bug, not a dependency');
  });
});
