// Starts the real release binary on a free port with a fresh SQLite database (empty, or the demo
// shop of `sistema-vendas demo`), and stops it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export const ARTIFACTS = resolve(HERE, 'artifacts');

export interface RunningServer {
  baseURL: string;
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
}

export async function startServer(name: string, options: ServerOptions = {}): Promise<RunningServer> {
  const binary = resolve(process.env.SV_BINARY ?? resolve(HERE, '../../target/release/sistema-vendas'));
  if (!existsSync(binary)) {
    throw new Error(`Binário não encontrado: ${binary}. Compile com \`cargo build --release\` ou defina SV_BINARY.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'sv-e2e-'));
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: `sqlite://${dir}/e2e.db?mode=rwc`,
    BCRYPT_COST: '4',
    RUST_LOG: process.env.RUST_LOG ?? 'warn',
  };
  if (options.demo) {
    // Before the server: the command fills only an empty database.
    const demo = spawnSync(binary, ['demo'], { env, encoding: 'utf8', timeout: 180_000 });
    const demoLog = join(ARTIFACTS, `server-${name}-demo.log`);
    writeFileSync(demoLog, `${demo.stdout ?? ''}${demo.stderr ?? ''}`);
    if (demo.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      const why = demo.error ? demo.error.message : `saiu com ${demo.status ?? demo.signal}`;
      throw new Error(`\`${binary} demo\` falhou (${why}); veja ${demoLog}:\n${(demo.stderr || demo.stdout || '').slice(-2000)}`);
    }
  }
  const log = createWriteStream(join(ARTIFACTS, `server-${name}.log`));
  const child: ChildProcess = spawn(binary, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: string | null = null;
  child.on('exit', (code, signal) => (exited = `saiu com ${code ?? signal}`));

  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`O servidor ${exited}; veja ${join(ARTIFACTS, `server-${name}.log`)}`);
    try {
      const res = await fetch(`${baseURL}/api/info`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('O servidor não respondeu GET /api/info em 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    baseURL,
    stop: async () => {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
