// Starts the real release binary on a free port with a fresh database (SQLite in a temporary
// folder, or a PostgreSQL database of its own; empty, or the demo shop of `sistema-vendas demo`),
// stops it and starts it again on the same port and database (the browser's service worker and
// IndexedDB belong to the origin), and removes it all at the end.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export const ARTIFACTS = resolve(HERE, 'artifacts');

export interface RunningServer {
  baseURL: string;
  port: number;
  /** Stops the process, keeping its database (the server is "down"). */
  halt: () => Promise<void>;
  /** Starts it again on the same port and database. */
  resume: () => Promise<void>;
  /** Stops it and removes its database. */
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface ServerOptions {
  /** Fill the database with the demo shop (`sistema-vendas demo`: a few hundred products, maria and joao,
   * 90 days of sales) before the server starts. Takes several seconds; give the hook time. */
  demo?: boolean;
  /** A PostgreSQL database `sv_e2e_<random>` on 127.0.0.1:5432 (user postgres, trust
   * authentication), created here and dropped at the end, instead of SQLite. */
  postgres?: boolean;
}

/** psql as the postgres user on the local server; throws with its output when it fails. */
function psql(sql: string): void {
  const r = spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql falhou (${sql}): ${r.error?.message ?? ''}${r.stderr}`);
}

/** Where the database lives, and how it goes away at the end. */
function database(options: ServerOptions): { url: string; remove: () => void } {
  if (options.postgres) {
    const name = `sv_e2e_${randomBytes(6).toString('hex')}`;
    psql(`CREATE DATABASE ${name}`);
    return { url: `postgres://postgres@127.0.0.1:5432/${name}`, remove: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'sv-e2e-'));
  return { url: `sqlite://${dir}/e2e.db?mode=rwc`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startServer(name: string, options: ServerOptions = {}): Promise<RunningServer> {
  const binary = resolve(process.env.SV_BINARY ?? resolve(HERE, '../../target/release/sistema-vendas'));
  if (!existsSync(binary)) {
    throw new Error(`Binário não encontrado: ${binary}. Compile com \`cargo build --release\` ou defina SV_BINARY.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const db = database(options);
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: db.url,
    BCRYPT_COST: '4',
    RUST_LOG: process.env.RUST_LOG ?? 'warn',
  };
  if (options.demo) {
    // Before the server: the command fills only an empty database.
    const demo = spawnSync(binary, ['demo'], { env, encoding: 'utf8', timeout: 180_000 });
    const demoLog = join(ARTIFACTS, `server-${name}-demo.log`);
    writeFileSync(demoLog, `${demo.stdout ?? ''}${demo.stderr ?? ''}`);
    if (demo.status !== 0) {
      db.remove();
      const why = demo.error ? demo.error.message : `saiu com ${demo.status ?? demo.signal}`;
      throw new Error(`\`${binary} demo\` falhou (${why}); veja ${demoLog}:\n${(demo.stderr || demo.stdout || '').slice(-2000)}`);
    }
  }
  const logPath = join(ARTIFACTS, `server-${name}.log`);
  const log = createWriteStream(logPath);
  const baseURL = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let exited: string | null = null;

  async function launch() {
    exited = null;
    const started = spawn(binary, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout?.pipe(log, { end: false });
    started.stderr?.pipe(log, { end: false });
    started.on('exit', (code, signal) => {
      if (child === started) exited = `saiu com ${code ?? signal}`;
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (exited) throw new Error(`O servidor ${exited}; veja ${logPath}`);
      try {
        const res = await fetch(`${baseURL}/api/info`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('O servidor não respondeu GET /api/info em 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function halt() {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  }

  try {
    await launch();
  } catch (e) {
    await halt();
    db.remove();
    throw e;
  }
  return {
    baseURL,
    port,
    halt,
    resume: launch,
    stop: async () => {
      await halt();
      log.end();
      db.remove();
    },
  };
}
