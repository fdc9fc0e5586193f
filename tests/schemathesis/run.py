"""Schemathesis against the real server: the OpenAPI document must say what the server does.

For each database (SQLite; PostgreSQL too when TEST_DATABASE_URL is set) and each role (an
administrator, an employee), on a fresh database each time: start the release binary, seed data
the run cannot exhaust (products at R$ 0,01 with a billion units, so that sales succeed or fail as
documented), run `schemathesis run` with a fixed seed and a bounded number of examples per
operation, and check afterwards that the role's session survived the run (otherwise every answer
after it was a 401 and the run proved little). Exits non-zero on any failure.

Run through scripts/schemathesis, which installs the pinned schemathesis first.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SEED = int(os.environ.get("SCHEMATHESIS_SEED", "20261201"))
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "30"))
BINARY = Path(os.environ.get("SV_BINARY", ROOT / "target/release/sistema-vendas")).resolve()
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
ADMIN_PASSWORD = "admin123"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data, timeout=10) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def ok(base, method, path, token=None, body=None):
    status, reply = call(base, method, path, token, body)
    if status >= 300:
        raise SystemExit(f"preparação: {method} {path} respondeu {status}: {reply}")
    return reply


class Database:
    """A fresh, empty database: a file in a temporary directory, or a new PostgreSQL database."""

    def __init__(self, kind, workdir):
        self.kind = kind
        if kind == "sqlite":
            self.url = f"sqlite://{workdir}/vendas.sqlite"
            return
        admin_url = os.environ["TEST_DATABASE_URL"]
        self.admin_url = admin_url
        self.name = f"sv_schemathesis_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{self.name}"'], check=True)
        base, _, query = admin_url.partition("?")
        self.url = base.rsplit("/", 1)[0] + "/" + self.name + (f"?{query}" if query else "")

    def drop(self):
        if self.kind == "postgres":
            sql = f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'
            subprocess.run(["psql", self.admin_url, "-qc", sql], check=False)


class Server:
    def __init__(self, database, workdir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update(
            DATABASE_URL=database.url,
            HOST="127.0.0.1",
            PORT=str(self.port),
            JWT_SECRET_KEY="schemathesis-secret-that-is-long-enough-for-hs256-0123456789",
            BCRYPT_COST="4",
            RUST_LOG="warn",
            # Photos that a generated upload happens to make stay in the run's folder.
            PHOTOS_DIR=str(workdir / "fotos"),
        )
        for name in ("APP_ENV", "FLASK_ENV", "DEBUG", "REDIS_URL", "ADMIN_PASSWORD", "CORS_ORIGINS", "S3_BUCKET"):
            env.pop(name, None)
        self.log = open(workdir / "server.log", "wb")
        self.process = subprocess.Popen([str(BINARY)], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"o servidor saiu com {self.process.returncode}; veja {self.log.name}")
            try:
                if call(self.base, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit("o servidor não respondeu em 30 s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def login(base, username, password):
    return ok(base, "POST", "/api/auth/login", body={"username": username, "password": password})


def seed(base):
    """The data a run starts from: the roles' tokens, the administrator's id, and a user the run
    may change and delete in its place (see hooks.py)."""
    signed_in = login(base, "admin", ADMIN_PASSWORD)
    admin, admin_id = signed_in["access_token"], signed_in["user"]["id"]
    ok(base, "POST", "/api/users", admin, {"username": "caixa", "password": "caixa123", "role": "funcionario"})
    employee = login(base, "caixa", "caixa123")["access_token"]
    target = ok(base, "POST", "/api/users", admin, {"username": "alvo", "password": "alvo1234"})["id"]
    category = ok(base, "POST", "/api/categories", admin, {"name": "Geral"})["id"]
    products = [
        ok(base, "POST", "/api/products", admin,
           {"name": f"Produto {n}", "price": "0.01", "stock": 1_000_000_000, "category_id": category})["id"]
        for n in range(1, 4)
    ]
    for token in (admin, employee):
        ok(base, "POST", "/api/sales", token, {"items": [{"product_id": products[0], "quantity": 1}]})
    return {"admin": admin, "employee": employee}, admin_id, target


def run(kind, role):
    workdir = Path(tempfile.mkdtemp(prefix=f"sv-schemathesis-{kind}-{role}-"))
    database = Database(kind, workdir)
    server = Server(database, workdir)
    try:
        tokens, admin_id, target = seed(server.base)
        token = tokens[role]
        command = [
            str(SCHEMATHESIS),
            "--config-file", str(HERE / "schemathesis.toml"),
            "--no-color",
            "run", f"{server.base}/api/openapi.json",
            "--url", server.base,
            "--seed", str(SEED),
            "--max-examples", str(MAX_EXAMPLES),
            "--workers", "1",
            "--generation-database", "none",
            "--header", f"Authorization: Bearer {token}",
            "--report", os.environ.get("SCHEMATHESIS_REPORTS", "junit"), "--report-dir", str(workdir / "report"),
        ]
        hooks = {"SCHEMATHESIS_HOOKS": str(HERE / "hooks.py"), "SV_ADMIN_ID": str(admin_id), "SV_TARGET_USER": str(target)}
        env = dict(os.environ, **hooks)
        started = time.monotonic()
        result = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True)
        seconds = time.monotonic() - started
        output = result.stdout + result.stderr
        (workdir / "schemathesis.txt").write_text(output)
        session = call(server.base, "GET", "/api/auth/me", token)[0]
        summary = [line.strip() for line in output.splitlines() if "generated," in line or line.startswith("=====")]
        print(f"-- {kind}, {role}: {seconds:.0f} s; " + " | ".join(summary[-2:]), flush=True)
        for line in output.splitlines():
            if line.strip().startswith("⚠️"):
                print(f"   {line.strip()}", flush=True)
        problems = []
        if result.returncode != 0:
            problems.append(f"schemathesis saiu com {result.returncode}")
        if session != 200:
            problems.append(f"a sessão do {role} não sobreviveu à execução (GET /api/auth/me: {session})")
        if problems:
            print(output)
            print(f"   {'; '.join(problems)}; relatório em {workdir}", flush=True)
            return False
        if "SCHEMATHESIS_KEEP" not in os.environ:
            shutil.rmtree(workdir, ignore_errors=True)
        return True
    finally:
        server.stop()
        database.drop()


def main():
    if not BINARY.exists():
        raise SystemExit(f"binário não encontrado: {BINARY} (cargo build --release --locked, ou SV_BINARY)")
    kinds = ["sqlite"] + (["postgres"] if os.environ.get("TEST_DATABASE_URL") else [])
    print(f"schemathesis {SEED=} {MAX_EXAMPLES=} contra {BINARY}", flush=True)
    results = [run(kind, role) for kind in kinds for role in ("admin", "employee")]
    passed, failed = results.count(True), results.count(False)
    print(f"schemathesis: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
