/**
 * Servers the fault suite owns: a PostgreSQL cluster and a single-node Kafka broker (KRaft), each
 * on ports the OS reports free, with their data in a scratch directory.
 *
 * Why not the machine's PostgreSQL on :5432 and infra's broker on :9092: the suite stops and
 * restarts both in the middle of its load. On a shared server that would also cut off whatever
 * else uses them (a demo left running, `npm test`'s e2e stack, another checkout's CI run) — and
 * infra's broker may belong to another checkout altogether. Its own servers can be stopped as
 * often as the suite likes, and they restart on the same data directory, so topics, offsets and
 * rows survive the restart exactly as they would on a production server. Redis is still the
 * machine's (keys under the run's own prefix): the suite injects no Redis fault.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { KafkaInfraModule, loadModule } from './esm';

export type Log = (message: string) => void;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function executableIn(dir: string, name: string): string | null {
  const file = path.join(dir, name);
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    return null;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executableIn(dir, name)) return path.join(dir, name);
  }
  return null;
}

/** The directory holding initdb and pg_ctl: FAULT_PG_BIN, Debian's newest /usr/lib/postgresql/<v>/bin, or PATH. */
function postgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.FAULT_PG_BIN) candidates.push(process.env.FAULT_PG_BIN);
  try {
    const versions = fs
      .readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch {
    // not Debian's layout
  }
  const initdb = onPath('initdb');
  if (initdb) candidates.push(path.dirname(initdb));
  const found = candidates.find((dir) => executableIn(dir, 'initdb') && executableIn(dir, 'pg_ctl'));
  if (!found) {
    throw new Error(
      'the fault suite runs a PostgreSQL cluster of its own and needs the server binaries (initdb, pg_ctl): ' +
        'apt-get install postgresql, or set FAULT_PG_BIN to their directory',
    );
  }
  return found;
}

/** uid/gid of the `postgres` account (PostgreSQL refuses to run as root). */
function postgresAccount(): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('running as root, the fault suite starts PostgreSQL as the `postgres` account, which does not exist here');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A PostgreSQL cluster in `<dir>/data`, trust authentication, listening on 127.0.0.1:<port> only. */
export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    readonly dir: string,
    readonly port: number,
    private readonly asRoot: boolean,
    private readonly log: Log,
  ) {}

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  get logFile(): string {
    return path.join(this.dir, 'postgres.log');
  }

  /** Connection URL of `database` as the superuser. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** initdb in `dir` (created; handed to the postgres account when we are root), then start. */
  static async create(dir: string, log: Log): Promise<PrivatePostgres> {
    const bin = postgresBinDir();
    const asRoot = process.getuid?.() === 0;
    fs.mkdirSync(dir, { recursive: true });
    if (asRoot) {
      const { uid, gid } = postgresAccount();
      fs.chownSync(dir, uid, gid);
    }
    const pg = new PrivatePostgres(bin, dir, await freePort(), asRoot, log);
    const init = pg.run('initdb', ['-D', pg.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}):\n${init.output}`);
    await pg.start();
    return pg;
  }

  private run(tool: string, args: string[]): { status: number | null; output: string } {
    const file = path.join(this.bin, tool);
    const res = this.asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', file, ...args], { encoding: 'utf8', cwd: this.dir })
      : spawnSync(file, args, { encoding: 'utf8', cwd: this.dir });
    return { status: res.status, output: `${res.stdout ?? ''}${res.stderr ?? ''}`.trim() };
  }

  /** Starts the server and resolves once it accepts connections. */
  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dir}`,
      '-c max_connections=300',
    ].join(' ');
    const res = this.run('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-o', options, '-w', '-t', '90', 'start']);
    if (res.status !== 0) throw new Error(`pg_ctl start failed (exit ${res.status}):\n${res.output}\n${tail(this.logFile)}`);
    await this.waitUntilAccepting(60_000);
  }

  /**
   * Stops the server: `fast` rolls back open transactions and disconnects everyone (a
   * controlled restart); `immediate` aborts without a checkpoint, like a crash, so the next
   * start runs crash recovery.
   */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    const res = this.run('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
    if (res.status !== 0 && !/not running|no server running/i.test(res.output)) {
      throw new Error(`pg_ctl stop -m ${mode} failed (exit ${res.status}):\n${res.output}`);
    }
  }

  private async waitUntilAccepting(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const client = new Client({ connectionString: this.url(), connectionTimeoutMillis: 2_000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (err) {
        last = (err as Error).message;
      } finally {
        await client.end().catch(() => undefined);
      }
      await sleep(250);
    }
    throw new Error(`PostgreSQL on :${this.port} did not accept connections: ${last}`);
  }

  /** Stops the server (if running) and removes the cluster, after copying its log to `logDir`. */
  async destroy(logDir: string | null, keep: boolean): Promise<void> {
    await this.stop('fast').catch((err) => this.log(`PostgreSQL stop at teardown: ${(err as Error).message}`));
    if (logDir && fs.existsSync(this.logFile)) fs.copyFileSync(this.logFile, path.join(logDir, 'postgres.log'));
    if (!keep) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const KAFKA_POM = path.join(__dirname, '..', 'infra', 'kafka', 'pom.xml');

/**
 * The Kafka jars: infra's (`.local/kafka/libs`) when it has fetched them, otherwise our own copy
 * fetched once with Maven from infra's POM (the same version), into `.local/faults/kafka-libs`.
 */
function kafkaLibs(root: string, log: Log): string {
  const pom = fs.readFileSync(KAFKA_POM, 'utf8');
  const version = /<kafka\.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown';
  const jar = `kafka_2.13-${version}.jar`;
  const infraLibs = path.join(root, '.local', 'kafka', 'libs');
  if (fs.existsSync(path.join(infraLibs, jar))) return infraLibs;
  const ours = path.join(root, '.local', 'faults', 'kafka-libs');
  if (fs.existsSync(path.join(ours, jar))) return ours;
  const mvn = onPath('mvn');
  if (!mvn) throw new Error(`the Kafka ${version} jars are not in ${infraLibs} and Maven (mvn) is not installed to fetch them`);
  log(`fetching the Kafka ${version} jars with Maven (once) into ${path.relative(root, ours)}`);
  const tmp = `${ours}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const res = spawnSync(
    mvn,
    ['-q', '-B', '-f', KAFKA_POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${tmp}`],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (res.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`Maven could not fetch the Kafka jars (exit ${res.status}):\n${`${res.stdout}${res.stderr}`.trim().split('\n').slice(-15).join('\n')}`);
  }
  fs.rmSync(ours, { recursive: true, force: true });
  fs.renameSync(tmp, ours);
  return ours;
}

function javaBin(): string {
  const home = process.env.JAVA_HOME;
  const fromHome = home ? executableIn(path.join(home, 'bin'), 'java') : null;
  const java = fromHome ?? onPath('java');
  if (!java) throw new Error('the fault suite runs a Kafka broker of its own and needs Java 17+ (apt-get install openjdk-17-jre-headless)');
  return java;
}

/** One Kafka broker (KRaft, broker + controller in one JVM) whose data survives its restarts. */
export class PrivateKafka {
  private child: ChildProcess | null = null;
  private exited: string | null = null;

  private constructor(
    private readonly libs: string,
    private readonly java: string,
    readonly dir: string,
    readonly port: number,
    private readonly controllerPort: number,
    private readonly logDir: string,
    private readonly log: Log,
  ) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private get config(): string {
    return path.join(this.dir, 'server.properties');
  }

  private get log4j(): string {
    return path.join(this.dir, 'log4j.properties');
  }

  /**
   * Writes the configuration (ports are chosen now, so the services' settings can be written
   * before the broker is up); `formatAndStart` then brings it up.
   */
  static async prepare(root: string, dir: string, logDir: string, log: Log): Promise<PrivateKafka> {
    const libs = kafkaLibs(root, log);
    const java = javaBin();
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    const kafka = new PrivateKafka(libs, java, dir, await freePort(), await freePort(), logDir, log);
    // The same broker settings as infra's (tools/infra/kafka.mjs), on this run's ports and paths.
    const infra = await loadModule<KafkaInfraModule>('tools/infra/kafka.mjs');
    fs.mkdirSync(logDir, { recursive: true });
    infra.writeBrokerConfig({
      config: kafka.config,
      log4j: kafka.log4j,
      toolsLog4j: path.join(dir, 'tools-log4j.properties'),
      serverLog: path.join(logDir, 'kafka-server.log'),
      data: path.join(dir, 'data'),
      port: kafka.port,
      controllerPort: kafka.controllerPort,
    });
    return kafka;
  }

  /** Formats the storage (KRaft refuses an unformatted one) and starts the broker. */
  async formatAndStart(): Promise<void> {
    const clusterId = randomBytes(16).toString('base64url').replace(/^-/, 'A');
    const format = await new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = spawn(
        this.java,
        [`-Dlog4j.configuration=file:${this.log4j}`, '-cp', path.join(this.libs, '*'), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', this.config],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('exit', (status) => resolve({ status, output }));
    });
    if (format.status !== 0) throw new Error(`kafka StorageTool format failed (exit ${format.status}):\n${format.output.trim()}`);
    await this.start();
  }


  /** Starts the JVM and resolves once the broker has registered and answers metadata requests. */
  async start(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) throw new Error('Kafka is already running');
    const out = fs.openSync(path.join(this.logDir, 'kafka.out'), 'a');
    this.exited = null;
    const child = spawn(
      this.java,
      ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${this.log4j}`, '-cp', path.join(this.libs, '*'), 'kafka.Kafka', this.config],
      { cwd: this.dir, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    child.once('exit', (code, signal) => (this.exited = `java exited (code ${code}, signal ${signal})`));
    this.child = child;
    const deadline = Date.now() + 120_000;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`Kafka did not start: ${this.exited}\n${tail(path.join(this.logDir, 'kafka-server.log'))}`);
      const probe = await probeKafka(this.brokers);
      if (probe === true) return;
      last = probe;
      await sleep(500);
    }
    throw new Error(`Kafka on :${this.port} not ready after 120 s: ${last}`);
  }

  /** SIGTERM (controlled shutdown) or SIGKILL (a crash); resolves once the JVM has exited. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    await gone;
    clearTimeout(timer);
  }

  async destroy(keep: boolean): Promise<void> {
    await this.stop('SIGTERM').catch((err) => this.log(`Kafka stop at teardown: ${(err as Error).message}`));
    if (!keep) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** true when the broker answers with itself registered, else why not. */
async function probeKafka(brokers: string[]): Promise<true | string> {
  const kafka = new Kafka({ clientId: 'faults-probe', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 1_000, requestTimeout: 3_000, retry: { retries: 0 } });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length ? true : 'no broker registered yet';
  } catch (err) {
    return (err as Error).message;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
