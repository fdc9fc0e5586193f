# Sistema de Vendas: imagem de produção (API + interface web num só binário).
#
#   docker build -t sistema-vendas .
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://... -e JWT_SECRET_KEY=... \
#              -e SECRET_KEY=... -e ADMIN_PASSWORD=... sistema-vendas
#
# Usada pelo Heroku (heroku.yml), pela DigitalOcean (.do/app.yaml) e pela AWS
# (deploy/aws). Só recursos do Dockerfile clássico (sem BuildKit), para construir em
# qualquer builder dessas plataformas. Veja docs/deploy.md.

# 1. Interface web (Vite): web/dist, embutida no binário no passo 2. Node 22 (LTS; o 20 saiu
#    de manutenção em abril de 2026); web/package.json pede >= 20.19.
FROM node:22-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
# Vazio: a interface chama a API na mesma origem (ela é servida pelo próprio binário).
ARG VITE_API_URL=
RUN npm run build

# 2. Binário de release. As dependências são compiladas antes do código, numa camada própria
#    que o cache reaproveita enquanto Cargo.toml e Cargo.lock não mudarem.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
ENV SKIP_WEB_BUILD=1 CARGO_TERM_COLOR=never
COPY Cargo.toml Cargo.lock build.rs ./
RUN mkdir -p src web/dist \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src
COPY migrations ./migrations
COPY src ./src
COPY --from=web /src/web/dist ./web/dist
# touch: os arquivos copiados podem ser mais antigos que o binário provisório acima.
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked \
    && install -m 0755 target/release/sistema-vendas /usr/local/bin/sistema-vendas

# 3. Imagem final: Debian slim, o binário e um usuário sem privilégios.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /app/data \
    && chown app:app /app/data
COPY --from=build /usr/local/bin/sistema-vendas /usr/local/bin/sistema-vendas
WORKDIR /app
USER 10001:10001
# Produção por padrão: exige JWT_SECRET_KEY e SECRET_KEY fortes e recusa senha padrão de admin.
# PORT é trocada pela plataforma (Heroku, DigitalOcean); sem DATABASE_URL usa SQLite em /app/data.
ENV APP_ENV=production HOST=0.0.0.0 PORT=8080 RUST_LOG=info
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["sistema-vendas", "healthcheck"]
CMD ["sistema-vendas", "serve"]
