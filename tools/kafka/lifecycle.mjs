// Lifecycle of a local, single-node Apache Kafka broker (KRaft combined mode) for development and tests.
//
// No Docker and no release tarball on these machines, but Kafka's own jars are on Maven Central: pom.xml
// next to this file pins them, Maven copies them to .jars/, and the broker runs with `java -cp`.
// Dependency-free on purpose (node: built-ins only) so a Jest global setup can `await import()` it
// before anything is installed. Why this version and these settings: docs/decisions/0002-kafka-version.md.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TOOL_DIR = path.dirname(fileURLToPath(import.meta.url));
const POM = path.join(TOOL_DIR, 'pom.xml');
const JARS_DIR = path.join(TOOL_DIR, '.jars');
// 127.0.0.1, never localhost: Node 20 may resolve localhost to ::1, where the broker does not listen.
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 30_000;
const JVM_OPTS = ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true'];

/** Error carrying the exit code the CLI should use (2 = a prerequisite is missing). */
export class KafkaToolError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.name = 'KafkaToolError';
    this.exitCode = exitCode;
  }
}

/** Paths and ports, read from the environment at call time so tests can set them before starting. */
function settings() {
  const port = Number(process.env.KAFKA_PORT || 9092);
  const controllerPort = Number(process.env.KAFKA_CONTROLLER_PORT || 9093);
  const homeDir = path.resolve(process.env.KAFKA_HOME_DIR || path.join(TOOL_DIR, '.data'));
  return {
    port,
    controllerPort,
    brokers: `${HOST}:${port}`,
    homeDir,
    logDir: path.join(homeDir, 'kraft-logs'),
    serverProperties: path.join(homeDir, 'server.properties'),
    log4jConfig: path.join(homeDir, 'log4j2.yaml'),
    logFile: path.join(homeDir, 'kafka.log'),
    pidFile: path.join(homeDir, 'kafka.pid'),
  };
}

// ---------------------------------------------------------------------------------------------------
// Processes and ports

/** True if the pid is a live process; a zombie counts as dead (PID 1 here may not reap orphans). */
function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/** True if the pid still runs a Kafka broker, so a recycled pid is never mistaken for ours. */
function isKafkaProcess(pid) {
  if (!isAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return true; // no /proc: best effort
  }
}

function readPid(pidFile) {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Resolves true if a TCP connection to host:port succeeds within timeoutMs. */
function isPortOpen(port, host = HOST, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const finish = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => (ms / 1000).toFixed(1);

// ---------------------------------------------------------------------------------------------------
// Jars

/** The Kafka version pinned in pom.xml (the <kafka.version> property). */
function pinnedVersion() {
  const match = fs.readFileSync(POM, 'utf8').match(/<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/);
  if (!match) throw new KafkaToolError(`No <kafka.version> property in ${POM}`);
  return match[1];
}

/** The broker version actually on disk, from the jar name (kafka_2.13-4.4.0.jar -> 4.4.0), or null. */
function installedVersion() {
  if (!fs.existsSync(JARS_DIR)) return null;
  for (const name of fs.readdirSync(JARS_DIR)) {
    const match = name.match(/^kafka_2\.13-(.+)\.jar$/);
    if (match) return match[1];
  }
  return null;
}

/** Names of required commands that are not on PATH. */
function missingCommands(commands) {
  return commands.filter((command) => {
    const result = spawnSync(command, ['-version'], { stdio: 'ignore' });
    return result.error?.code === 'ENOENT';
  });
}

function requireCommands(commands) {
  const missing = missingCommands(commands);
  if (missing.length === 0) return;
  throw new KafkaToolError(
    `Cannot start a local Kafka broker: ${missing.join(' and ')} not found on PATH ` +
      '(it needs a Java 17+ runtime, and Maven to fetch the broker jars on first use). ' +
      'Install them, or point the project at an existing broker with KAFKA_BROKERS=host:port.',
    2,
  );
}

/**
 * Copies the pinned broker jars into .jars/ unless they are already there. Maven writes to a temporary
 * directory that is renamed at the end, so an interrupted fetch never looks like a complete one.
 */
function ensureJars(log) {
  const version = pinnedVersion();
  if (installedVersion() === version) return { version, fetchedMs: 0 };

  const started = Date.now();
  const tmpDir = `${JARS_DIR}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  log(`Fetching Kafka ${version} jars with Maven (first use only)...`);
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${tmpDir}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new KafkaToolError(`Maven could not fetch the Kafka jars (exit ${result.status}):\n${output}`);
  }
  fs.rmSync(JARS_DIR, { recursive: true, force: true });
  fs.renameSync(tmpDir, JARS_DIR);
  const fetchedMs = Date.now() - started;
  log(`Fetched Kafka ${version} jars in ${seconds(fetchedMs)} s`);
  return { version, fetchedMs };
}

// ---------------------------------------------------------------------------------------------------
// Configuration

/** server.properties for one node that is both broker and controller (KRaft combined mode). */
function serverProperties(s) {
  return `# Written by tools/kafka/lifecycle.mjs on each start; edits here are lost.
process.roles=broker,controller
node.id=1
# Dynamic quorum (KIP-853): formatted with "storage format --standalone".
controller.quorum.bootstrap.servers=${HOST}:${s.controllerPort}
listeners=PLAINTEXT://${HOST}:${s.port},CONTROLLER://${HOST}:${s.controllerPort}
advertised.listeners=PLAINTEXT://${HOST}:${s.port},CONTROLLER://${HOST}:${s.controllerPort}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${s.logDir}

# Tests create their topics explicitly; auto-creation stays on (Kafka's default) so a consumer that
# subscribes before the producer's admin call does not fail. New topics get 3 partitions.
auto.create.topics.enable=true
num.partitions=3
default.replication.factor=1
min.insync.replicas=1

# One broker: the internal topics must not ask for more replicas than exist, or consumer groups and
# idempotent/transactional producers wait forever for a coordinator.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# The internal topics are created on first use; one partition each keeps that quick on 2 cores.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.num.partitions=1

# Tests: a consumer group's first rebalance starts at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0

# The log cleaner allocates this buffer at start (default 128 MiB) out of a 512 MiB heap.
log.cleaner.dedupe.buffer.size=16777216
`;
}

/**
 * log4j2 config: INFO to stderr (kafka.log for the broker; stderr keeps random-uuid's stdout clean for the
 * storage tool), minus the config dumps every internal client prints (~2,000 lines per start).
 */
function log4jConfig() {
  return `# Written by tools/kafka/lifecycle.mjs on each start.
Configuration:
  Appenders:
    Console:
      name: STDERR
      target: SYSTEM_ERR
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: STDERR
    Logger:
      - name: org.apache.kafka.common.config.AbstractConfig
        level: WARN
`;
}

// ---------------------------------------------------------------------------------------------------
// Start

/** java command-line arguments to run mainClass from the fetched jars. */
function java(s, mainClass, args) {
  return [
    ...JVM_OPTS,
    `-Dlog4j2.configurationFile=${s.log4jConfig}`,
    '-cp',
    path.join(JARS_DIR, '*'),
    mainClass,
    ...args,
  ];
}

/** Runs the storage tool synchronously; its logging goes to stderr, so stdout is only its answer. */
function storageTool(s, args) {
  const result = spawnSync('java', java(s, 'kafka.tools.StorageTool', args), { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new KafkaToolError(`kafka-storage ${args[0]} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  }
  return result.stdout.trim();
}

/** Wipes the home directory and formats a fresh single-node cluster there: every start is a clean slate. */
function prepareHomeDir(s) {
  fs.rmSync(s.homeDir, { recursive: true, force: true });
  fs.mkdirSync(s.logDir, { recursive: true });
  fs.writeFileSync(s.serverProperties, serverProperties(s));
  fs.writeFileSync(s.log4jConfig, log4jConfig());
  const clusterId = storageTool(s, ['random-uuid']);
  storageTool(s, ['format', '--standalone', '-t', clusterId, '-c', s.serverProperties]);
  return clusterId;
}

/** Starts kafka.Kafka detached, with stdout and stderr in kafka.log, so it outlives this process. */
function spawnBroker(s) {
  const logFd = fs.openSync(s.logFile, 'a');
  // log4j2's own shutdown hook would stop logging while Kafka's hook is still shutting down, cutting
  // the end of the log on SIGTERM; without it the log shows the whole clean shutdown.
  const args = ['-Dlog4j2.shutdownHookEnabled=false', ...java(s, 'kafka.Kafka', [s.serverProperties])];
  try {
    const child = spawn('java', args, {
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
    child.unref();
    fs.writeFileSync(s.pidFile, `${child.pid}\n`);
    return child;
  } finally {
    fs.closeSync(logFd);
  }
}

/**
 * What to show when startup fails: the ERROR lines and their causes (the real reason is usually far
 * above the end of the log, before the shutdown noise), then the last lines.
 */
function failureReport(file) {
  let lines;
  try {
    lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  } catch {
    return `(no log at ${file})`;
  }
  const errors = [...new Set(lines.filter((line) => / (ERROR|FATAL) |^Caused by: /.test(line)))].slice(0, 12);
  const tail = lines.slice(-20);
  return [
    ...(errors.length ? ['Errors in the log:', ...errors] : []),
    `Last lines of ${file}:`,
    ...tail,
  ].join('\n');
}

/**
 * Waits until the broker port accepts connections. Kafka opens the broker listener only when it
 * enables request processing, at the very end of startup, so a connect to it means "ready".
 */
async function waitUntilReady(s, child, timeoutMs) {
  let exitCode = null;
  child.once('exit', (code, signal) => {
    exitCode = code ?? signal;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== null || !isAlive(child.pid)) {
      fs.rmSync(s.pidFile, { force: true });
      throw new KafkaToolError(`Kafka exited during startup (exit ${exitCode ?? '?'}).\n${failureReport(s.logFile)}`);
    }
    if (await isPortOpen(s.port)) return;
    await sleep(250);
  }
  await terminate(child.pid, 5_000);
  fs.rmSync(s.pidFile, { force: true });
  throw new KafkaToolError(
    `Kafka did not open ${s.brokers} within ${seconds(timeoutMs)} s; stopped it.\n${failureReport(s.logFile)}`,
  );
}

/** Fails early and clearly if another process holds the broker or controller port. */
async function requireFreePorts(s) {
  if (await isPortOpen(s.port)) {
    throw new KafkaToolError(
      `${s.brokers} is already in use by a process this script did not start. ` +
        'Stop it, choose another KAFKA_PORT, or use that broker through KAFKA_BROKERS.',
    );
  }
  if (await isPortOpen(s.controllerPort)) {
    throw new KafkaToolError(
      `Controller port ${HOST}:${s.controllerPort} is already in use; stop that process or set KAFKA_CONTROLLER_PORT.`,
    );
  }
}

/** The broker we started earlier, if it is still running and serving; null otherwise. */
async function runningBroker(s) {
  const pid = readPid(s.pidFile);
  if (!isKafkaProcess(pid)) return null;
  return { pid, serving: await isPortOpen(s.port) };
}

/**
 * Starts the broker unless it already runs. Each real start wipes and formats the home directory.
 * @param {{ log?: (line: string) => void, timeoutMs?: number }} [options]
 * @returns {Promise<{ pid: number, version: string, brokers: string, startedByUs: boolean }>}
 *   startedByUs is false when a broker started earlier (by this script) was already serving.
 */
export async function startKafka({ log = console.log, timeoutMs = READY_TIMEOUT_MS } = {}) {
  const s = settings();
  const running = await runningBroker(s);
  if (running?.serving) {
    log(`Kafka already running (pid ${running.pid}) on ${s.brokers}`);
    return { pid: running.pid, version: installedVersion(), brokers: s.brokers, startedByUs: false };
  }
  if (running) {
    // Alive but not serving: a half-started or hung broker from an earlier run. Start over.
    log(`Kafka pid ${running.pid} is alive but not serving ${s.brokers}; stopping it first`);
    await terminate(running.pid, STOP_GRACE_MS);
  }
  await requireFreePorts(s);

  // Maven is only needed while the pinned jars are not in .jars/ yet.
  requireCommands(installedVersion() === pinnedVersion() ? ['java'] : ['java', 'mvn']);
  const { version } = ensureJars(log);
  const started = Date.now();
  prepareHomeDir(s);
  const formatted = Date.now();
  const child = spawnBroker(s);
  await waitUntilReady(s, child, timeoutMs);
  const ready = Date.now();
  log(
    `Kafka ${version} ready on ${s.brokers} (pid ${child.pid}) in ${seconds(ready - started)} s ` +
      `(format ${seconds(formatted - started)} s, broker ${seconds(ready - formatted)} s)`,
  );
  return { pid: child.pid, version, brokers: s.brokers, startedByUs: true };
}

// ---------------------------------------------------------------------------------------------------
// Stop and status

/** SIGTERM (Kafka shuts down cleanly on it), then SIGKILL after graceMs. Resolves true if it had to kill. */
async function terminate(pid, graceMs) {
  if (!isAlive(pid)) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return false;
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // exited between the last check and the kill
  }
  while (isAlive(pid)) await sleep(100);
  return true;
}

/**
 * Stops the broker recorded in the pid file, if any.
 * @param {{ log?: (line: string) => void, graceMs?: number }} [options]
 * @returns {Promise<{ stopped: boolean, pid: number | null, killed: boolean }>}
 *   stopped is false when nothing was running.
 */
export async function stopKafka({ log = console.log, graceMs = STOP_GRACE_MS } = {}) {
  const s = settings();
  const pid = readPid(s.pidFile);
  if (!isKafkaProcess(pid)) {
    fs.rmSync(s.pidFile, { force: true });
    log('Kafka not running');
    return { stopped: false, pid: null, killed: false };
  }
  const started = Date.now();
  const killed = await terminate(pid, graceMs);
  fs.rmSync(s.pidFile, { force: true });
  log(`Kafka stopped (pid ${pid}) in ${seconds(Date.now() - started)} s${killed ? ' (SIGKILL after grace period)' : ''}`);
  return { stopped: true, pid, killed };
}

/**
 * Reports whether the broker started by this script is running and serving.
 * @returns {Promise<{ running: boolean, pid: number | null, version: string | null, port: number, brokers: string }>}
 */
export async function kafkaStatus() {
  const s = settings();
  const running = await runningBroker(s);
  return {
    running: Boolean(running?.serving),
    pid: running?.pid ?? null,
    version: installedVersion(),
    port: s.port,
    brokers: s.brokers,
  };
}
