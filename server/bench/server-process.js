'use strict';
/**
 * One way for every bench to run a server process it measures: its stdout and stderr go to a log file whose
 * path is printed, readiness is polled on /api/health over fresh connections (`Connection: close`, so no idle
 * keep-alive socket of the poll is reused later by the bench's own requests), and a server that exits before
 * the bench stops it ends the bench with a non-zero code and the last lines of its log.
 */
const { spawn } = require('child_process');
const { mkdirSync, openSync, readFileSync } = require('fs');
const path = require('path');

const LOG_DIR = path.resolve(__dirname, '..', '..', 'artifacts', 'bench');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, lines = 30) {
  try { return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

/**
 * Spawns `node ...nodeArgs <script> ...args` with `env`, logging to artifacts/bench/<label>-<pid>-<n>.log.
 * @returns {{ child: import('child_process').ChildProcess, log: string, ready: (url: string, timeoutMs?: number) => Promise<void>, stop: () => Promise<void> }}
 */
let seq = 0;
const running = new Set();
// A bench that dies (uncaught exception, process.exit) takes its servers with it instead of leaving them orphaned.
process.on('exit', () => { for (const child of running) child.kill('SIGKILL'); });
function startServerProcess({ script, args = [], cwd, env, label, nodeArgs = [] }) {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = path.join(LOG_DIR, `${label}-${process.pid}-${++seq}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd, env, stdio: ['ignore', fd, fd] });
  process.stdout.write(`${label}: pid ${child.pid}, log ${path.relative(process.cwd(), log)}\n`);
  running.add(child);
  let stopping = false;
  child.on('exit', (code, signal) => {
    running.delete(child);
    if (stopping) return;
    process.stderr.write(`\n${label} exited early (code ${code}, signal ${signal}); last lines of ${log}:\n${tail(log)}\n`);
    process.exit(1);
  });
  return {
    child,
    log,
    async ready(url, timeoutMs = 90_000) {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
        try { if ((await fetch(url, { headers: { connection: 'close' } })).status === 200) return; } catch { /* not yet */ }
        await sleep(200);
      }
      throw new Error(`${label} did not become ready within ${timeoutMs} ms; log ${log}:\n${tail(log)}`);
    },
    stop() {
      stopping = true;
      return new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
    },
  };
}

module.exports = { startServerProcess };
