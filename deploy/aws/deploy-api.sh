#!/usr/bin/env bash
# Constrói a imagem da API, envia ao Amazon ECR e publica no Elastic Beanstalk.
#
#   AWS_REGION=sa-east-1 EB_ENV=sistema-vendas-prod deploy/aws/deploy-api.sh
#
# Pré-requisitos (docs/deploy.md): aplicação "sistema-vendas" e ambiente Docker criados no
# Elastic Beanstalk, e a política AmazonEC2ContainerRegistryReadOnly no papel das instâncias.
# TAG: rótulo da versão (padrão: o commit atual). DRY_RUN=1 só mostra os comandos.
set -euo pipefail
cd "$(dirname "$0")/../.."

: "${AWS_REGION:?defina AWS_REGION (ex.: sa-east-1)}"
: "${EB_ENV:?defina EB_ENV, o nome do ambiente do Elastic Beanstalk}"
APP="${EB_APP:-sistema-vendas}"
TAG="${TAG:-$(git rev-parse --short HEAD 2>/dev/null || date +%Y%m%d%H%M%S)}"

run() {
  echo "+ $*"
  if [ -z "${DRY_RUN:-}" ]; then "$@"; fi
}
if [ -n "${DRY_RUN:-}" ]; then
  account="ACCOUNT_ID"
  eb_bucket="elasticbeanstalk-$AWS_REGION-$account"
else
  account=$(aws sts get-caller-identity --query Account --output text)
  eb_bucket=$(aws elasticbeanstalk create-storage-location --query S3Bucket --output text)
fi
registry="$account.dkr.ecr.$AWS_REGION.amazonaws.com"
image="$registry/sistema-vendas:$TAG"

if [ -z "${DRY_RUN:-}" ] && ! aws ecr describe-repositories --repository-names sistema-vendas >/dev/null 2>&1; then
  run aws ecr create-repository --repository-name sistema-vendas
fi
if [ -z "${DRY_RUN:-}" ]; then
  aws ecr get-login-password | docker login --username AWS --password-stdin "$registry"
fi
run docker build -t "$image" .
run docker push "$image"

# O pacote da versão: Dockerrun.aws.json apontando para a imagem desta tag + .ebextensions.
bundle_dir=$(mktemp -d)
trap 'rm -rf "$bundle_dir"' EXIT
sed "s#ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com/sistema-vendas:latest#$image#" \
  deploy/aws/Dockerrun.aws.json > "$bundle_dir/Dockerrun.aws.json"
cp -r deploy/aws/.ebextensions "$bundle_dir/"
(cd "$bundle_dir" && run zip -qr bundle.zip Dockerrun.aws.json .ebextensions)
if [ -n "${DRY_RUN:-}" ]; then cat "$bundle_dir/Dockerrun.aws.json"; fi

run aws s3 cp "$bundle_dir/bundle.zip" "s3://$eb_bucket/$APP/$TAG.zip"
run aws elasticbeanstalk create-application-version --application-name "$APP" --version-label "$TAG" \
  --source-bundle "S3Bucket=$eb_bucket,S3Key=$APP/$TAG.zip"
run aws elasticbeanstalk update-environment --environment-name "$EB_ENV" --version-label "$TAG"
echo "Versão $TAG enviada; acompanhe com: aws elasticbeanstalk describe-events --environment-name $EB_ENV"
