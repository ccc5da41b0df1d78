// Local single-node Kafka (KRaft, no ZooKeeper) run straight from Maven Central jars.
//
// Why not Docker / a tarball: dev and CI machines here have a JDK and Maven but
// no container engine, and Maven Central is reachable while downloads.apache.org
// may not be. Everything lives under <root>/.local/kafka (git-ignored):
//   libs/              jars copied by Maven (+ .fetched marker, so Maven runs once)
//   data/              log.dirs (topics are kept forever: retention -1)
//   logs/server.log    broker log (log4j), logs/kafka.out JVM stdout/stderr
//   server.properties, log4j.properties, cluster-id, kafka.pid, up.lock (held during `up`)
//   tools-log4j.properties  for Kafka's CLI tools run by hand, e.g.
//     java -Dlog4j.configuration=file:.local/kafka/tools-log4j.properties -cp '.local/kafka/libs/*' \
//       org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server 127.0.0.1:9092 --topic T --from-beginning
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { defaultLog, errorText, findExecutable, isAlive, isPortOpen, sleep, tailFile, withLock } from './util.mjs';

const { Kafka, logLevel } = kafkajs; // kafkajs is CommonJS: take named exports off the default

const HOST = '127.0.0.1';
const PORT = 9092;
const CONTROLLER_PORT = 9093;
const LOCAL_BROKERS = [`${HOST}:${PORT}`, `localhost:${PORT}`];
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const POM = fileURLToPath(new URL('./kafka/pom.xml', import.meta.url));

/** Brokers to use, and whether they are someone else's (then we never start/stop anything). */
export function kafkaBrokers() {
  const env = (process.env.KAFKA_BROKERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const external = env.length > 0 && !env.every((b) => LOCAL_BROKERS.includes(b));
  return { brokers: external ? env : [`${HOST}:${PORT}`], external };
}

function paths(root) {
  const dir = path.join(root, '.local', 'kafka');
  return {
    dir,
    libs: path.join(dir, 'libs'),
    marker: path.join(dir, 'libs', '.fetched'),
    data: path.join(dir, 'data'),
    logs: path.join(dir, 'logs'),
    serverLog: path.join(dir, 'logs', 'server.log'),
    out: path.join(dir, 'logs', 'kafka.out'),
    config: path.join(dir, 'server.properties'),
    log4j: path.join(dir, 'log4j.properties'),
    toolsLog4j: path.join(dir, 'tools-log4j.properties'),
    clusterId: path.join(dir, 'cluster-id'),
    pid: path.join(dir, 'kafka.pid'),
    lock: path.join(dir, 'up.lock'),
  };
}

/** One metadata round-trip with kafkajs; fails fast (no retries) so callers can poll. */
async function probeKafka(brokers) {
  const kafka = new Kafka({
    clientId: 'infra',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    // Right after start a KRaft broker may answer before it has registered itself.
    if (!cluster.brokers.length) return { up: false, error: new Error('no brokers registered yet') };
    return { up: true, clusterId: cluster.clusterId };
  } catch (error) {
    return { up: false, error };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Poll until Kafka answers; `abort()` may return a reason to give up early (e.g. JVM died). */
async function waitForKafka(brokers, { timeoutMs = READY_TIMEOUT_MS, abort = () => null } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probeKafka(brokers);
    if (last.up) return last;
    const reason = abort();
    if (reason) return { up: false, error: new Error(reason) };
    await sleep(1000);
  }
  return { up: false, error: new Error(`not ready after ${timeoutMs / 1000}s (${errorText(last?.error)})`) };
}

/** The pid from kafka.pid if that process is alive and really is a Kafka broker, else null. */
function ourKafkaPid(p) {
  let pid;
  try {
    pid = Number.parseInt(fs.readFileSync(p.pid, 'utf8'), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || !isAlive(pid)) return null;
  // Guard against pid reuse after a reboot: never signal an unrelated process.
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('kafka.Kafka')) return null;
  } catch {
    // no /proc (macOS): trust the pid file
  }
  return pid;
}

function javaBin() {
  const fromHome = process.env.JAVA_HOME && path.join(process.env.JAVA_HOME, 'bin', 'java');
  const java = fromHome && fs.existsSync(fromHome) ? fromHome : findExecutable('java');
  if (!java) {
    throw new Error('Java 17+ is needed to run Kafka locally but `java` was not found. Install it: apt-get install openjdk-17-jre-headless');
  }
  return java;
}

/**
 * Copy the Kafka jars into .local/kafka/libs with Maven, once. The marker records
 * the version and a hash of pom.xml: while both match, Maven is never called again
 * (so later starts work offline); if the POM changes, the jars are fetched afresh.
 */
function ensureLibs(p, log) {
  const pom = fs.readFileSync(POM, 'utf8');
  const version = /<kafka\.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown';
  const marker = `kafka ${version}\npom-sha256 ${crypto.createHash('sha256').update(pom).digest('hex')}\n`;
  const haveJar = fs.existsSync(path.join(p.libs, `kafka_2.13-${version}.jar`));
  if (haveJar && fs.existsSync(p.marker) && fs.readFileSync(p.marker, 'utf8') === marker) return version;

  const mvn = findExecutable('mvn');
  if (!mvn) {
    throw new Error(`Kafka ${version} jars are not in ${p.libs} and Maven (mvn) is not installed to fetch them. Install it: apt-get install maven`);
  }
  // Fetch into a scratch dir and swap it in, so a failed/partial download never
  // leaves a half-filled libs/ (and stale jars from an older version never linger).
  const tmp = `${p.libs}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`downloading Kafka ${version} jars from Maven Central (one-time)...`);
  const started = Date.now();
  const res = spawnSync(
    mvn,
    ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${tmp}`],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (res.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`Maven could not fetch the Kafka jars (exit ${res.status ?? res.error?.message}):\n${output}`);
  }
  fs.rmSync(p.libs, { recursive: true, force: true });
  fs.renameSync(tmp, p.libs);
  fs.writeFileSync(p.marker, marker);
  log(`fetched ${fs.readdirSync(p.libs).filter((f) => f.endsWith('.jar')).length} jars in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return version;
}

/**
 * (Re)write server.properties and the log4j files of a single-node KRaft broker: cheap, and keeps
 * them in sync with this file. `npm run infra` writes its broker's on 9092/9093; the fault suite
 * (tools/faults/servers.ts) its own broker's on ports of its own.
 */
export function writeBrokerConfig({ config, log4j: log4jFile, toolsLog4j: toolsLog4jFile, serverLog, data, host = HOST, port = PORT, controllerPort = CONTROLLER_PORT }) {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${host}:${controllerPort}`,
    listeners: `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
    // Clients must only ever be told about the PLAINTEXT listener.
    'advertised.listeners': `PLAINTEXT://${host}:${port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    // One node: internal topics can't be replicated, and few partitions start faster.
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 1,
    // Consumers join immediately instead of waiting 3 s for more members (faster tests).
    'group.initial.rebalance.delay.ms': 0,
    'num.partitions': 3,
    // Topics are created explicitly by the services; a typo must not create a topic.
    'auto.create.topics.enable': false,
    // Events are kept forever: the metrics service replays topics from the beginning.
    'log.retention.hours': -1,
    'log.dirs': data,
  };
  const body = Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n');
  fs.writeFileSync(config, `# Generated by tools/infra/kafka.mjs - edit that file, not this one.\n${body}\n`);

  const log4j = [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${serverLog}`,
    'log4j.appender.file.MaxFileSize=10MB',
    'log4j.appender.file.MaxBackupIndex=3',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka=INFO',
    'log4j.logger.org.apache.kafka=INFO',
    // Noisy loggers: per-request, per-partition state and per-segment chatter.
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.kafka.network.RequestChannel$=WARN',
    'log4j.logger.state.change.logger=WARN',
    'log4j.logger.kafka.authorizer.logger=WARN',
    'log4j.logger.kafka.log.LogCleaner=WARN',
    'log4j.logger.org.apache.kafka.storage.internals.log=WARN',
    'log4j.logger.org.apache.kafka.clients=WARN',
    'log4j.logger.org.apache.zookeeper=WARN',
  ];
  fs.writeFileSync(log4jFile, `${log4j.join('\n')}\n`);

  // For Kafka's own CLI tools run by hand from libs/ (ConsoleConsumer etc.): warnings
  // to stderr, so they don't complain "No appenders could be found".
  const toolsLog4j = [
    'log4j.rootLogger=WARN, stderr',
    'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stderr.Target=System.err',
    'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
  ];
  fs.writeFileSync(toolsLog4jFile, `${toolsLog4j.join('\n')}\n`);
}

/** Kafka's Uuid format: 16 random bytes, base64url, no padding; it never starts with '-'. */
function newClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Format log.dirs once (KRaft refuses to start on an unformatted directory). */
function formatStorage(p, java, log) {
  if (fs.existsSync(path.join(p.data, 'meta.properties'))) return;
  if (!fs.existsSync(p.clusterId)) fs.writeFileSync(p.clusterId, `${newClusterId()}\n`);
  const clusterId = fs.readFileSync(p.clusterId, 'utf8').trim();
  log(`formatting ${p.data} (cluster id ${clusterId})`);
  const res = spawnSync(
    java,
    [`-Dlog4j.configuration=file:${p.log4j}`, '-cp', path.join(p.libs, '*'), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', p.config],
    { encoding: 'utf8' },
  );
  if (res.status !== 0) {
    throw new Error(`kafka StorageTool format failed (exit ${res.status}):\n${`${res.stdout}${res.stderr}`.trim()}`);
  }
}

function brokerLogTail(p) {
  const parts = [];
  // Startup failures end in long stack traces: pull the ERROR/"Caused by" lines out first.
  const errors = (tailFile(p.serverLog, 400) ?? '').split('\n').filter((l) => /\] (ERROR|FATAL) |^Caused by:/.test(l));
  if (errors.length) parts.push(`--- errors in ${p.serverLog} ---\n${errors.slice(-8).join('\n')}`);
  const server = tailFile(p.serverLog, 20);
  const out = tailFile(p.out, 15);
  if (server) parts.push(`--- ${p.serverLog} (tail) ---\n${server}`);
  if (out) parts.push(`--- ${p.out} (tail) ---\n${out}`);
  return parts.join('\n') || '(no broker log written)';
}

/**
 * Make sure a Kafka broker answers on 127.0.0.1:9092 (or on KAFKA_BROKERS if that
 * points elsewhere: then only readiness is checked). Idempotent: reuses a running
 * broker. `start: false` only waits (docker compose runs the broker).
 * Resolves to { brokers, started, pid }.
 */
export async function ensureKafka({ root, log = defaultLog, start = true } = {}) {
  const { brokers, external } = kafkaBrokers();
  if (external || !start) {
    log(`${external ? `Kafka is external (KAFKA_BROKERS=${brokers.join(',')})` : 'Kafka is managed elsewhere'}: waiting for it, not starting anything`);
    const ready = await waitForKafka(brokers);
    if (!ready.up) throw new Error(`Kafka at ${brokers.join(',')} is not reachable: ${errorText(ready.error)}`);
    log(`Kafka is up at ${brokers.join(',')} (cluster ${ready.clusterId})`);
    return { brokers, started: false, pid: null };
  }

  const p = paths(root);
  fs.mkdirSync(p.logs, { recursive: true });
  return withLock(p.lock, () => startLocalKafka(p, brokers, root, log));
}

/** ensureKafka's local part; runs under the lock so concurrent callers start one broker. */
async function startLocalKafka(p, brokers, root, log) {
  let pid = ourKafkaPid(p);
  if (!pid && fs.existsSync(p.pid)) {
    log('removing stale kafka.pid (process is gone)');
    fs.rmSync(p.pid, { force: true });
  }

  const probe = await probeKafka(brokers);
  if (probe.up) {
    log(`reusing Kafka already running at ${brokers[0]} (cluster ${probe.clusterId}, ${pid ? `pid ${pid}` : 'not started by infra'})`);
    return { brokers, started: false, pid };
  }
  if (pid) {
    // Our JVM is alive but not answering yet: probably still starting, don't spawn a second one.
    log(`Kafka (pid ${pid}) is running but not ready yet; waiting`);
  } else {
    if (await isPortOpen(HOST, PORT)) {
      throw new Error(`port ${PORT} is in use by something that does not answer as Kafka (${errorText(probe.error)}). Free it or set KAFKA_BROKERS.`);
    }
    const java = javaBin();
    const version = ensureLibs(p, log);
    writeBrokerConfig(p);
    formatStorage(p, java, log);

    const args = [
      '-Xms256m',
      '-Xmx512m',
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${p.log4j}`,
      '-cp',
      path.join(p.libs, '*'), // expanded by java itself, no shell involved
      'kafka.Kafka',
      p.config,
    ];
    const out = fs.openSync(p.out, 'a');
    // detached + unref: the broker outlives this script (the CLI exits after `up`).
    const child = spawn(java, args, { cwd: p.dir, detached: true, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    pid = child.pid;
    let exited = null;
    child.once('exit', (code, signal) => (exited = `java exited (code ${code}, signal ${signal})`));
    child.once('error', (err) => (exited = `could not start java: ${err.message}`));
    child.unref();
    if (pid) fs.writeFileSync(p.pid, `${pid}\n`);
    log(`starting Kafka ${version} (pid ${pid}), log: ${path.relative(root, p.serverLog)}`);
    const started = Date.now();
    const ready = await waitForKafka(brokers, { abort: () => exited });
    if (!ready.up) {
      if (!exited) log(`Kafka did not become ready; leaving pid ${pid} running for inspection (stop: cli.mjs down)`);
      else fs.rmSync(p.pid, { force: true });
      throw new Error(`Kafka failed to start: ${errorText(ready.error)}\n${brokerLogTail(p)}`);
    }
    log(`Kafka is up at ${brokers[0]} after ${((Date.now() - started) / 1000).toFixed(1)}s (cluster ${ready.clusterId})`);
    return { brokers, started: true, pid };
  }

  const ready = await waitForKafka(brokers, { abort: () => (isAlive(pid) ? null : `pid ${pid} exited`) });
  if (!ready.up) throw new Error(`Kafka (pid ${pid}) is not ready: ${errorText(ready.error)}\n${brokerLogTail(p)}`);
  log(`Kafka is up at ${brokers[0]} (cluster ${ready.clusterId}, pid ${pid})`);
  return { brokers, started: false, pid };
}

/** Stop the broker we started (SIGTERM, then SIGKILL after 30 s). Never touches an external Kafka. */
export async function stopKafka({ root, log = defaultLog } = {}) {
  if (kafkaBrokers().external) {
    log('Kafka is external (KAFKA_BROKERS): nothing to stop');
    return false;
  }
  const p = paths(root);
  const pid = ourKafkaPid(p);
  if (!pid) {
    fs.rmSync(p.pid, { force: true });
    log('Kafka: no broker started by infra is running');
    return false;
  }
  log(`stopping Kafka (pid ${pid})...`);
  process.kill(pid, 'SIGTERM'); // controlled shutdown: flushes logs, cleaner restart
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(250);
  if (isAlive(pid)) {
    log(`Kafka did not exit within ${STOP_TIMEOUT_MS / 1000}s; sending SIGKILL`);
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }
  fs.rmSync(p.pid, { force: true });
  log('Kafka stopped');
  return true;
}

/** One-shot status: { name, up, address, detail }. */
export async function kafkaStatus({ root } = {}) {
  const { brokers, external } = kafkaBrokers();
  const probe = await probeKafka(brokers);
  const pid = external ? null : ourKafkaPid(paths(root));
  const owner = external ? 'external' : pid ? `pid ${pid}, started by infra` : 'not started by infra';
  const detail = probe.up ? `cluster ${probe.clusterId}, ${owner}` : `${errorText(probe.error)}${pid ? ` (pid ${pid} alive)` : ''}`;
  return { name: 'kafka', up: probe.up, address: brokers.join(','), detail };
}
