import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './paths.js';

/**
 * Watching what processes do on the network and on disk with `strace -f -yy -e trace=connect,openat,
 * sendto,sendmsg,sendmmsg`: a stream connection (TCP) is allowed only to loopback (127.0.0.0/8, ::1),
 * nothing may be sent to any other address, and nothing may even be addressed to port 53 (a DNS
 * lookup, through a local resolver too, means something wants a remote host). A datagram (UDP)
 * socket's connect() to another address is a route probe and sends nothing (Chromium's resolver does
 * it to sort addresses and test IPv6 reachability); it is listed, and any packet then sent on it
 * fails. Files written under the user's `.cache/Microsoft` or as `mat-debug-*` anywhere are
 * onnxruntime's telemetry.
 */
export const STRACE = process.env.STRACE_PATH ?? '/usr/bin/strace';

export function skipWithoutStrace(): string | false {
  if (!existsSync(STRACE)) return `needs strace at ${STRACE} (apt-get install -y strace); .ci/run installs it`;
  const probe = spawnSync(STRACE, ['-f', '-qq', '-e', 'trace=connect', '-o', '/dev/null', '--', 'true']);
  return probe.status === 0
    ? false
    : `strace cannot trace here (${probe.stderr.toString().trim() || `exit ${probe.status}`}); ptrace may be forbidden in this container`;
}

/** A watch: its own HOME and TMPDIR (so files written there can be seen) and a folder of strace logs. */
export interface Watch {
  dir: string;
  home: string;
  tmp: string;
  logs: string;
  /** The environment for watched processes: no inherited telemetry switch, HOME/TMPDIR/XDG_CACHE_HOME inside the watch. */
  env: NodeJS.ProcessEnv;
}

export function newWatch(): Watch {
  const dir = tempDir('netwatch-');
  const home = path.join(dir, 'home');
  const tmp = path.join(dir, 'tmp');
  const logs = path.join(dir, 'strace');
  for (const d of [home, tmp, logs]) mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    TMPDIR: tmp,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
  };
  // The test runner itself runs with telemetry off; the processes under watch must switch it off themselves.
  delete env.ORT_DISABLE_TELEMETRY;
  return { dir, home, tmp, logs, env };
}

/** strace's arguments to run `command args…` with every process it starts traced into `<logs>/<name>.log`. */
export function straceArgs(watch: Watch, name: string, command: string, args: string[]): string[] {
  return [
    '-f',
    '-qq',
    '-yy',
    '-s',
    '256',
    '-e',
    'trace=connect,openat,sendto,sendmsg,sendmmsg',
    '-e',
    'signal=none',
    '-o',
    path.join(watch.logs, `${name}.log`),
    '--',
    command,
    ...args,
  ];
}

/** Run a command to its end under strace. */
export function runWatched(watch: Watch, name: string, command: string, args: string[], opts: { cwd: string; timeoutMs?: number }) {
  return spawnSync(STRACE, straceArgs(watch, name, command, args), {
    cwd: opts.cwd,
    env: watch.env,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 300_000,
  });
}

/** Start a long-running command under strace (detached in its own process group). */
export function startWatched(watch: Watch, name: string, command: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  return spawn(STRACE, straceArgs(watch, name, command, args), { ...opts, env: watch.env });
}

/** An executable that runs the given program under strace (for launchers such as playwright that want a path). */
export function straceWrapper(watch: Watch, name: string, program: string): string {
  const file = path.join(watch.dir, `${name}-under-strace.sh`);
  const args = straceArgs(watch, name, program, []).map((a) => `'${a.replace(/'/g, `'\\''`)}'`);
  writeFileSync(file, `#!/bin/sh\nexec '${STRACE}' ${args.join(' ')} "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Every process below `pid` (from /proc), depth first. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const taskDir = `/proc/${pid}/task`;
  if (!existsSync(taskDir)) return out;
  for (const tid of readdirSync(taskDir)) {
    let children = '';
    try {
      children = readFileSync(path.join(taskDir, tid, 'children'), 'utf8');
    } catch {
      continue;
    }
    for (const c of children.trim().split(/\s+/).filter(Boolean).map(Number)) out.push(c, ...descendants(c));
  }
  return out;
}

export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

export interface Connection {
  pid: number;
  /** connect() or a send with a destination. */
  call: 'connect' | 'send';
  /** The socket as strace -yy names it: TCP, TCPv6, UDP, UDPv6, UNIX, NETLINK… (null when it could not tell). */
  socket: string | null;
  family: string | null;
  address: string | null;
  port: number | null;
  line: string;
}

export interface FileWrite {
  pid: number;
  path: string;
  line: string;
}

const SOCKET_CALL = /^(\d+)\s+(connect|sendto|sendmsg|sendmmsg)\((\d+)(?:<([\w-]+):\[([^\]]*(?:\][^>]*)?)\]>)?(.*)$/;
const OPENAT = /^(\d+)\s+openat\((?:AT_FDCWD|\d+)(?:<[^>]*>)?, "((?:[^"\\]|\\.)*)"(?:<[^>]*>)?, ([A-Z_|]+)/;

function sockaddr(text: string): { family: string | null; address: string | null; port: number | null } {
  const family = /sa_family=(AF_\w+)/.exec(text)?.[1] ?? null;
  const port = /sin6?_port=htons\((\d+)\)/.exec(text);
  const address =
    /inet_addr\("([^"]+)"\)/.exec(text)?.[1] ??
    /inet_pton\(AF_INET6, "([^"]+)"/.exec(text)?.[1] ??
    /sun_path=(@?"[^"]*"|@[^,}]*)/.exec(text)?.[1] ??
    null;
  return { family, address, port: port ? Number(port[1]) : null };
}

/** `[::1]:443` or `127.0.0.1:443` → address and port. */
function endpoint(text: string): { address: string; port: number } | null {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(text.trim());
  return m ? { address: m[1], port: Number(m[2]) } : null;
}

/**
 * connect() calls, and sends with their destination: the one in the call, else the socket's connected peer
 * (as strace -yy shows it, or as the same thread's last connect() on that descriptor set it).
 */
export function connectionsIn(log: string): Connection[] {
  const out: Connection[] = [];
  const peers = new Map<string, Connection>();
  for (const line of log.split('\n')) {
    const m = SOCKET_CALL.exec(line);
    if (!m) continue;
    const [, pid, call, fd, socket = null, decoration = '', rest] = m;
    if (call === 'connect') {
      const c: Connection = { pid: Number(pid), call, socket, ...sockaddr(rest), line };
      out.push(c);
      peers.set(`${pid}:${fd}`, c);
      continue;
    }
    const named = /sa_family=AF_INET6?\b/.exec(rest);
    const dest = named ? sockaddr(rest.slice(named.index)) : null;
    const peer = decoration.includes('->') ? endpoint(decoration.split('->')[1]) : null;
    const connected = peers.get(`${pid}:${fd}`);
    if (dest?.address) out.push({ pid: Number(pid), call: 'send', socket, ...dest, line });
    else if (peer) out.push({ pid: Number(pid), call: 'send', socket, family: socket?.endsWith('v6') ? 'AF_INET6' : 'AF_INET', ...peer, line });
    else if (connected && (connected.family === 'AF_INET' || connected.family === 'AF_INET6'))
      out.push({ pid: Number(pid), call: 'send', socket, family: connected.family, address: connected.address, port: connected.port, line });
  }
  return out;
}

/** Files opened for writing (or created) in a strace log. */
export function fileWritesIn(log: string): FileWrite[] {
  const out: FileWrite[] = [];
  for (const line of log.split('\n')) {
    const m = OPENAT.exec(line);
    if (m && /O_WRONLY|O_RDWR|O_CREAT/.test(m[3])) out.push({ pid: Number(m[1]), path: m[2], line });
  }
  return out;
}

export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address);
}

/** Why a connect() or a send breaks network silence, or null when it stays on this machine. */
export function connectionViolation(c: Connection): string | null {
  if (c.family === 'AF_UNIX' || c.family === 'AF_NETLINK' || c.socket?.startsWith('UNIX') || c.socket === 'NETLINK') return null;
  // AF_UNSPEC resets a datagram socket's peer: it opens nothing.
  if (c.family === 'AF_UNSPEC') return null;
  if (c.port === 53) return `DNS lookup via ${c.address}:53`;
  if (c.address !== null && isLoopback(c.address)) return null;
  // connect() on a datagram socket sends nothing (a route probe); what it then sends is caught as a send.
  if (c.call === 'connect' && c.socket?.startsWith('UDP')) return null;
  return `${c.call === 'send' ? 'data sent' : 'connection'} to ${c.family ?? c.socket ?? '?'} ${c.address ?? '?'}:${c.port ?? '?'}`;
}

/** Why a file write is telemetry, or null. */
export function fileViolation(w: FileWrite): string | null {
  if (/\/\.cache\/Microsoft(\/|$)/.test(w.path) || /DeveloperTools\/\.onnxruntime/.test(w.path)) return `telemetry store ${w.path}`;
  if (/^mat-debug-/.test(path.basename(w.path))) return `telemetry debug log ${w.path}`;
  return null;
}

/** Files left in the watch's HOME/.cache/Microsoft or as mat-debug-* in its TMPDIR. */
export function telemetryFilesLeft(watch: Watch): string[] {
  const found: string[] = [];
  const ms = path.join(watch.home, '.cache', 'Microsoft');
  if (existsSync(ms)) found.push(ms);
  for (const name of readdirSync(watch.tmp)) if (name.startsWith('mat-debug-')) found.push(path.join(watch.tmp, name));
  return found;
}

export interface WatchReport {
  logs: string[];
  processes: number;
  connections: Connection[];
  /** connect() calls on datagram sockets to other hosts: route probes, nothing sent (listed for the record). */
  probes: Connection[];
  violations: string[];
}

/** Read every strace log of the watch and list what broke silence (each with its process's log line). */
export function watchReport(watch: Watch, names?: string[]): WatchReport {
  const logs = readdirSync(watch.logs)
    .filter((f) => f.endsWith('.log') && (!names || names.includes(f.slice(0, -4))))
    .map((f) => path.join(watch.logs, f));
  const violations: string[] = [];
  const connections: Connection[] = [];
  const probes: Connection[] = [];
  const pids = new Set<number>();
  for (const file of logs) {
    const text = statSync(file).size > 0 ? readFileSync(file, 'utf8') : '';
    for (const line of text.split('\n')) {
      const pid = /^(\d+)\s/.exec(line)?.[1];
      if (pid) pids.add(Number(pid));
    }
    for (const c of connectionsIn(text)) {
      connections.push(c);
      if (c.call === 'connect' && c.socket?.startsWith('UDP') && c.address && !isLoopback(c.address) && c.port !== 53) probes.push(c);
      const why = connectionViolation(c);
      if (why) violations.push(`${path.basename(file)}: ${why} — ${c.line.slice(0, 200)}`);
    }
    for (const w of fileWritesIn(text)) {
      const why = fileViolation(w);
      if (why) violations.push(`${path.basename(file)}: ${why}`);
    }
  }
  for (const f of telemetryFilesLeft(watch)) violations.push(`left behind: ${f}`);
  return { logs, processes: pids.size, connections, probes, violations: [...new Set(violations)] };
}
