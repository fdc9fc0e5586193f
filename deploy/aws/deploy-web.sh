#!/usr/bin/env bash
# Publica a interface web no S3 + CloudFront criados por deploy/aws/web-stack.yaml.
#
#   API_URL=https://api.minhaloja.com.br deploy/aws/deploy-web.sh
#
# STACK: nome da pilha do CloudFormation (padrão sistema-vendas-web). DRY_RUN=1 só mostra os
# comandos. Os arquivos com hash no nome (assets/) ficam em cache por um ano; index.html nunca,
# para que uma nova versão chegue na hora. Arquivos antigos de assets/ não são apagados: quem
# está com a versão anterior aberta continua funcionando.
set -euo pipefail
cd "$(dirname "$0")/../.."

: "${API_URL:?defina API_URL, a URL pública da API (ex.: https://api.minhaloja.com.br)}"
STACK="${STACK:-sistema-vendas-web}"

run() {
  echo "+ $*"
  if [ -z "${DRY_RUN:-}" ]; then "$@"; fi
}
stack_output() {
  if [ -n "${DRY_RUN:-}" ]; then echo "<$1>"; return; fi
  aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

bucket=$(stack_output BucketName)
distribution=$(stack_output DistributionId)

run npm --prefix web ci --no-audit --no-fund
run env VITE_API_URL="${API_URL%/}" npm --prefix web run build

run aws s3 sync web/dist/assets "s3://$bucket/assets" \
  --cache-control "public, max-age=31536000, immutable"
run aws s3 sync web/dist "s3://$bucket" --delete \
  --exclude "assets/*" --exclude "index.html" --cache-control "no-cache"
run aws s3 cp web/dist/index.html "s3://$bucket/index.html" \
  --cache-control "no-cache" --content-type "text/html; charset=utf-8"
run aws cloudfront create-invalidation --distribution-id "$distribution" --paths "/" "/index.html"

echo "Interface publicada. Lembre: CORS_ORIGINS da API deve conter a URL do CloudFront."
