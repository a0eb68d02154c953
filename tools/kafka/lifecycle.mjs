// Lifecycle of a local Apache Kafka cluster (KRaft combined mode) for development and tests: one node by
// default, or KAFKA_NODES (e.g. 3) nodes on consecutive ports, each with its own data directory.
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

/**
 * Paths and ports, read from the environment at call time so tests can set them before starting. One node keeps
 * the layout it always had (everything in the home directory); a cluster has `node-<id>/` per node, brokers on
 * KAFKA_PORT, KAFKA_PORT+1, ... and controllers on KAFKA_CONTROLLER_PORT (default: right after the brokers), +1, ...
 */
function settings() {
  const count = Number(process.env.KAFKA_NODES || 1);
  if (!Number.isInteger(count) || count < 1 || count > 9) throw new KafkaToolError(`KAFKA_NODES must be 1..9 (got ${process.env.KAFKA_NODES})`, 64);
  const port = Number(process.env.KAFKA_PORT || 9092);
  const controllerPort = Number(process.env.KAFKA_CONTROLLER_PORT || (count === 1 ? 9093 : port + count));
  if (controllerPort < port + count && controllerPort + count > port) {
    throw new KafkaToolError(
      `Broker ports ${port}-${port + count - 1} and controller ports ${controllerPort}-${controllerPort + count - 1} overlap: ` +
        'set KAFKA_CONTROLLER_PORT outside the broker range.',
      64,
    );
  }
  const homeDir = path.resolve(process.env.KAFKA_HOME_DIR || path.join(TOOL_DIR, '.data'));
  const nodes = Array.from({ length: count }, (_, i) => {
    const dir = count === 1 ? homeDir : path.join(homeDir, `node-${i + 1}`);
    return {
      id: i + 1,
      port: port + i,
      controllerPort: controllerPort + i,
      dir,
      logDir: path.join(dir, 'kraft-logs'),
      serverProperties: path.join(dir, 'server.properties'),
      logFile: path.join(dir, 'kafka.log'),
      pidFile: path.join(dir, 'kafka.pid'),
    };
  });
  return {
    nodes,
    port,
    brokers: nodes.map((n) => `${HOST}:${n.port}`).join(','),
    homeDir,
    log4jConfig: path.join(homeDir, 'log4j2.yaml'),
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

/**
 * server.properties of a node that is both broker and controller (KRaft combined mode). One node: a dynamic quorum
 * formatted `--standalone`, everything replicated once. A cluster: a static quorum of every node, topics and the
 * internal ones replicated to 3 (or every node if fewer) with 2 in sync, as a production cluster would be.
 */
function serverProperties(s, node) {
  const cluster = s.nodes.length > 1;
  const replicas = Math.min(3, s.nodes.length);
  const inSync = cluster ? Math.min(2, replicas) : 1;
  const quorum = cluster
    ? `controller.quorum.voters=${s.nodes.map((n) => `${n.id}@${HOST}:${n.controllerPort}`).join(',')}`
    : `# Dynamic quorum (KIP-853): formatted with "storage format --standalone".
controller.quorum.bootstrap.servers=${HOST}:${node.controllerPort}`;
  return `# Written by tools/kafka/lifecycle.mjs on each start; edits here are lost.
process.roles=broker,controller
node.id=${node.id}
${quorum}
listeners=PLAINTEXT://${HOST}:${node.port},CONTROLLER://${HOST}:${node.controllerPort}
advertised.listeners=PLAINTEXT://${HOST}:${node.port},CONTROLLER://${HOST}:${node.controllerPort}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${node.logDir}

# Tests create their topics explicitly; auto-creation stays on (Kafka's default) so a consumer that
# subscribes before the producer's admin call does not fail. New topics get 3 partitions.
auto.create.topics.enable=true
num.partitions=3
default.replication.factor=${replicas}
min.insync.replicas=${inSync}

# The internal topics must not ask for more replicas than exist, or consumer groups and idempotent or
# transactional producers wait forever for a coordinator.
offsets.topic.replication.factor=${replicas}
transaction.state.log.replication.factor=${replicas}
transaction.state.log.min.isr=${inSync}
share.coordinator.state.topic.replication.factor=${replicas}
share.coordinator.state.topic.min.isr=${inSync}
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

/** Wipes the home directory and formats a fresh cluster there (every node with one cluster id): every start is a clean slate. */
async function prepareHomeDir(s) {
  fs.rmSync(s.homeDir, { recursive: true, force: true });
  fs.mkdirSync(s.homeDir, { recursive: true });
  fs.writeFileSync(s.log4jConfig, log4jConfig());
  const clusterId = storageTool(s, ['random-uuid']);
  for (const node of s.nodes) {
    fs.mkdirSync(node.logDir, { recursive: true });
    fs.writeFileSync(node.serverProperties, serverProperties(s, node));
  }
  // The nodes are formatted side by side: each format is a JVM start of a few seconds.
  await Promise.all(
    s.nodes.map((node) => storageToolAsync(s, ['format', ...(s.nodes.length === 1 ? ['--standalone'] : []), '-t', clusterId, '-c', node.serverProperties])),
  );
  return clusterId;
}

/** The storage tool without blocking, so several nodes format at once. */
function storageToolAsync(s, args) {
  return new Promise((resolve, reject) => {
    const child = spawn('java', java(s, 'kafka.tools.StorageTool', args), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output.trim()) : reject(new KafkaToolError(`kafka-storage ${args[0]} failed (exit ${code}):\n${output}`))));
  });
}

/** Starts a node's kafka.Kafka detached, with stdout and stderr in its kafka.log, so it outlives this process. */
function spawnBroker(s, node) {
  const logFd = fs.openSync(node.logFile, 'a');
  // log4j2's own shutdown hook would stop logging while Kafka's hook is still shutting down, cutting
  // the end of the log on SIGTERM; without it the log shows the whole clean shutdown.
  const args = ['-Dlog4j2.shutdownHookEnabled=false', ...java(s, 'kafka.Kafka', [node.serverProperties])];
  try {
    const child = spawn('java', args, {
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
    child.unref();
    fs.writeFileSync(node.pidFile, `${child.pid}\n`);
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
 * Waits until the node's broker port accepts connections. Kafka opens the broker listener only when it
 * enables request processing, at the very end of startup, so a connect to it means "ready".
 */
async function waitUntilReady(node, child, timeoutMs) {
  let exitCode = null;
  child.once('exit', (code, signal) => {
    exitCode = code ?? signal;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== null || !isAlive(child.pid)) {
      fs.rmSync(node.pidFile, { force: true });
      throw new KafkaToolError(`Kafka node ${node.id} exited during startup (exit ${exitCode ?? '?'}).\n${failureReport(node.logFile)}`);
    }
    if (await isPortOpen(node.port)) return;
    await sleep(250);
  }
  await terminate(child.pid, 5_000);
  fs.rmSync(node.pidFile, { force: true });
  throw new KafkaToolError(
    `Kafka node ${node.id} did not open ${HOST}:${node.port} within ${seconds(timeoutMs)} s; stopped it.\n${failureReport(node.logFile)}`,
  );
}

/** Fails early and clearly if another process holds a broker or controller port. */
async function requireFreePorts(s) {
  for (const node of s.nodes) {
    if (await isPortOpen(node.port)) {
      throw new KafkaToolError(
        `${HOST}:${node.port} is already in use by a process this script did not start. ` +
          'Stop it, choose another KAFKA_PORT, or use that broker through KAFKA_BROKERS.',
      );
    }
    if (await isPortOpen(node.controllerPort)) {
      throw new KafkaToolError(`Controller port ${HOST}:${node.controllerPort} is already in use; stop that process or set KAFKA_CONTROLLER_PORT.`);
    }
  }
}

/** The nodes we started earlier that are still running: pid, and whether each serves. */
async function runningNodes(s) {
  const found = [];
  for (const node of s.nodes) {
    const pid = readPid(node.pidFile);
    if (isKafkaProcess(pid)) found.push({ node, pid, serving: await isPortOpen(node.port) });
  }
  return found;
}

/**
 * Starts the broker (every node of the cluster) unless it already runs. Each real start wipes and formats the
 * home directory.
 * @param {{ log?: (line: string) => void, timeoutMs?: number }} [options]
 * @returns {Promise<{ pid: number, pids: number[], version: string, brokers: string, startedByUs: boolean }>}
 *   startedByUs is false when a broker started earlier (by this script) was already serving.
 */
export async function startKafka({ log = console.log, timeoutMs = READY_TIMEOUT_MS } = {}) {
  const s = settings();
  const running = await runningNodes(s);
  if (running.length === s.nodes.length && running.every((r) => r.serving)) {
    log(`Kafka already running (pid ${running.map((r) => r.pid).join(', ')}) on ${s.brokers}`);
    return { pid: running[0].pid, pids: running.map((r) => r.pid), version: installedVersion(), brokers: s.brokers, startedByUs: false };
  }
  for (const r of running) {
    // Alive but not all serving: a half-started or hung cluster from an earlier run. Start over.
    log(`Kafka node ${r.node.id} (pid ${r.pid}) is left from an earlier start; stopping it first`);
    await terminate(r.pid, STOP_GRACE_MS);
  }
  await requireFreePorts(s);

  // Maven is only needed while the pinned jars are not in .jars/ yet.
  requireCommands(installedVersion() === pinnedVersion() ? ['java'] : ['java', 'mvn']);
  const { version } = ensureJars(log);
  const started = Date.now();
  await prepareHomeDir(s);
  const formatted = Date.now();
  // A cluster's nodes start together: each waits for a quorum of controllers before it serves.
  const children = s.nodes.map((node) => ({ node, child: spawnBroker(s, node) }));
  try {
    await Promise.all(children.map(({ node, child }) => waitUntilReady(node, child, timeoutMs)));
  } catch (error) {
    await Promise.all(children.map(({ child }) => terminate(child.pid, 5_000)));
    throw error;
  }
  const ready = Date.now();
  const pids = children.map(({ child }) => child.pid);
  log(
    `Kafka ${version} ready on ${s.brokers} (pid ${pids.join(', ')}) in ${seconds(ready - started)} s ` +
      `(format ${seconds(formatted - started)} s, broker ${seconds(ready - formatted)} s)`,
  );
  return { pid: pids[0], pids, version, brokers: s.brokers, startedByUs: true };
}

/** The node with this id (1-based), or an error naming the ones there are. */
function nodeOf(s, id) {
  const node = s.nodes.find((n) => n.id === Number(id));
  if (!node) throw new KafkaToolError(`No Kafka node ${id}: nodes are 1..${s.nodes.length} (KAFKA_NODES=${s.nodes.length})`, 64);
  return node;
}

/**
 * Kills one node at once (SIGKILL by default, a crash: no controlled shutdown, no flush) and waits until it is
 * gone; its data stays for `resumeKafkaNode`.
 * @returns {Promise<{ node: number, pid: number | null }>}
 */
export async function killKafkaNode(id, { signal = 'SIGKILL', log = console.log } = {}) {
  const s = settings();
  const node = nodeOf(s, id);
  const pid = readPid(node.pidFile);
  if (!isKafkaProcess(pid)) {
    log(`Kafka node ${node.id} not running`);
    return { node: node.id, pid: null };
  }
  process.kill(pid, signal);
  while (isAlive(pid)) await sleep(50);
  fs.rmSync(node.pidFile, { force: true });
  log(`Kafka node ${node.id} (pid ${pid}) killed with ${signal}`);
  return { node: node.id, pid };
}

/**
 * Starts one node again on its existing data and configuration (no wipe, no format), as a broker comes back after a
 * crash: its log, the topics' data and the producers' state survive. Resolves once it serves.
 * @returns {Promise<{ node: number, pid: number, brokers: string }>}
 */
export async function resumeKafkaNode(id, { log = console.log, timeoutMs = READY_TIMEOUT_MS } = {}) {
  const s = settings();
  const node = nodeOf(s, id);
  if (!fs.existsSync(node.serverProperties)) throw new KafkaToolError(`Kafka node ${node.id} has no data in ${node.dir}: start the cluster first`);
  const pid = readPid(node.pidFile);
  if (isKafkaProcess(pid)) throw new KafkaToolError(`Kafka node ${node.id} is still running (pid ${pid})`);
  const started = Date.now();
  const child = spawnBroker(s, node);
  await waitUntilReady(node, child, timeoutMs);
  log(`Kafka node ${node.id} back on ${HOST}:${node.port} (pid ${child.pid}) in ${seconds(Date.now() - started)} s`);
  return { node: node.id, pid: child.pid, brokers: s.brokers };
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
 * Stops the broker (every node) recorded in the pid files, if any.
 * @param {{ log?: (line: string) => void, graceMs?: number }} [options]
 * @returns {Promise<{ stopped: boolean, pid: number | null, killed: boolean }>}
 *   stopped is false when nothing was running.
 */
export async function stopKafka({ log = console.log, graceMs = STOP_GRACE_MS } = {}) {
  const s = settings();
  const running = await runningNodes(s);
  for (const node of s.nodes) if (!running.some((r) => r.node === node)) fs.rmSync(node.pidFile, { force: true });
  if (running.length === 0) {
    log('Kafka not running');
    return { stopped: false, pid: null, killed: false };
  }
  const started = Date.now();
  // Together: a node stopping alone in a cluster waits for the controllers to move its partitions away.
  const killed = (await Promise.all(running.map((r) => terminate(r.pid, graceMs)))).some(Boolean);
  for (const r of running) fs.rmSync(r.node.pidFile, { force: true });
  const pids = running.map((r) => r.pid).join(', ');
  log(`Kafka stopped (pid ${pids}) in ${seconds(Date.now() - started)} s${killed ? ' (SIGKILL after grace period)' : ''}`);
  return { stopped: true, pid: running[0].pid, killed };
}

/**
 * Reports whether the broker started by this script is running and serving (every node of a cluster).
 * @returns {Promise<{ running: boolean, pid: number | null, version: string | null, port: number, brokers: string, nodes: { id: number, pid: number | null, serving: boolean }[] }>}
 */
export async function kafkaStatus() {
  const s = settings();
  const running = await runningNodes(s);
  const nodes = s.nodes.map((node) => {
    const r = running.find((x) => x.node === node);
    return { id: node.id, pid: r?.pid ?? null, serving: Boolean(r?.serving) };
  });
  return {
    running: nodes.every((n) => n.serving),
    pid: nodes[0].pid,
    version: installedVersion(),
    port: s.port,
    brokers: s.brokers,
    nodes,
  };
}
