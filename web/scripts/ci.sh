#!/usr/bin/env bash
# Everything the web UI checks, in the order CI should run it (called by the repo's .ci/run,
# or by hand from web/). Needs Node 20 + npm; installs Debian's Chromium when it is missing.
# The release binary (SV_BINARY, default ../target/release/sistema-vendas) is needed by the
# end-to-end tests and by the check that src/api/generated.ts is what the server's OpenAPI
# document (`<binary> openapi`) describes now.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "== instalando o Chromium do Debian (para os testes end-to-end)"
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
fi

echo "== npm ci";        npm ci --no-audit --no-fund
echo "== tipos da API";  npm run check:api
echo "== lint";          npm run lint
echo "== typecheck";     npm run typecheck
echo "== unit + size";   npm test
echo "== end-to-end";    npm run e2e
