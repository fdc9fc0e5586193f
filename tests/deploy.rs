//! The deployment files (Dockerfile, Heroku, DigitalOcean, AWS) are valid, carry the fields
//! their platforms require, agree with each other, and configure a server that production
//! mode accepts. What they run is run by `tests/process.rs`.

#[path = "support/manifests.rs"]
mod manifests;

use std::collections::{BTreeSet, HashMap};

use manifests::*;
use sistema_vendas::config::Config;

fn config(vars: Vec<(String, String)>) -> Config {
    let vars: HashMap<String, String> = vars.into_iter().collect();
    Config::from_vars(vars).expect("configuração da plataforma")
}

const POSTGRES_URL: &str = "postgres://u1a2b3:p9x8y7@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d4e5f6";

#[test]
fn the_dockerfile_builds_the_ui_and_a_release_binary_into_a_small_unprivileged_image() {
    let stages = dockerfile();
    assert_eq!(stages.len(), 3, "web, build, runtime");
    let (web, build, runtime) = (&stages[0], &stages[1], &stages[2]);
    assert!(web.from.starts_with("node:") && web.from.ends_with("AS web"), "{}", web.from);
    let node: u32 = web.from["node:".len()..].split(['-', '.']).next().unwrap().parse().unwrap();
    let engines = json("web/package.json")["engines"]["node"].as_str().unwrap().to_string();
    let wanted: u32 = engines.trim_start_matches(">=").split('.').next().unwrap().parse().unwrap();
    assert!(node >= wanted, "node {node} does not satisfy {engines}");
    assert!(
        web.all("RUN").iter().any(|r| r.contains("npm ci"))
            && web.all("RUN").iter().any(|r| r.contains("npm run build"))
    );
    assert!(build.from.starts_with("rust:") && build.from.ends_with("AS build"), "{}", build.from);
    let rust = build.from.trim_start_matches("rust:").split('-').next().unwrap().to_string();
    let required = read("Cargo.toml")
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"')
        .to_string();
    let version = |v: &str| v.split('.').map(|n| n.parse::<u32>().unwrap()).collect::<Vec<_>>();
    assert!(version(&rust) >= version(&required), "rust {rust} < rust-version {required}");
    assert!(build.all("RUN").iter().any(|r| r.contains("cargo build --release --locked")));
    assert!(build.all("COPY").iter().any(|c| c.contains("--from=web") && c.contains("web/dist")), "the UI is embedded");
    assert!(build.env().contains(&("SKIP_WEB_BUILD".into(), "1".into())), "no npm in the Rust stage");

    assert!(runtime.from.contains("slim") || runtime.from.contains("distroless"), "{}", runtime.from);
    let user = runtime.all("USER").last().copied().expect("USER");
    assert!(!["root", "0", "0:0"].contains(&user), "runs as {user}");
    let env: HashMap<String, String> = runtime.env().into_iter().collect();
    assert_eq!(env["APP_ENV"], "production");
    assert_eq!(runtime.all("EXPOSE"), vec![env["PORT"].as_str()], "EXPOSE is the default PORT");
    assert_eq!(runtime.exec_form("CMD"), ["sistema-vendas", "serve"]);
    assert_eq!(runtime.exec_form("HEALTHCHECK"), ["sistema-vendas", "healthcheck"]);
    assert!(runtime.all("COPY").iter().any(|c| c.contains("--from=build")));

    // Platform builders without BuildKit must build it too.
    assert!(!read("Dockerfile").contains("--mount="), "BuildKit-only syntax");
    // Everything it copies exists, and .dockerignore does not hide it.
    let ignored: Vec<String> = read(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src",
        "migrations",
        "web/package.json",
        "web/package-lock.json",
        "web/src",
    ] {
        assert!(path(needed).exists(), "{needed}");
        assert!(!ignored.iter().any(|i| i == needed || needed.starts_with(&format!("{i}/"))), "{needed} ignored");
    }
    for excluded in ["target", ".git", "web/node_modules", "web/dist", "data"] {
        assert!(ignored.iter().any(|i| i == excluded), ".dockerignore should exclude {excluded}");
    }
}

#[test]
fn heroku_builds_the_dockerfile_and_runs_the_procfiles_commands() {
    let procfile = procfile();
    assert_eq!(procfile["web"], "sistema-vendas serve");
    assert_eq!(procfile["release"], "sistema-vendas migrate");
    let heroku = yaml("heroku.yml");
    assert_eq!(heroku["build"]["docker"]["web"], "Dockerfile");
    assert_eq!(heroku["run"]["web"].as_str(), Some(procfile["web"].as_str()));
    assert_eq!(heroku["release"]["image"], "web");
    assert_eq!(heroku["release"]["command"][0].as_str(), Some(procfile["release"].as_str()));
}

#[test]
fn app_json_asks_heroku_for_postgres_generated_secrets_and_the_admin_password() {
    let app = json("app.json");
    assert!(app["name"].as_str().is_some_and(|n| !n.is_empty() && n.len() <= 30), "name");
    assert_eq!(app["stack"], "container", "heroku.yml needs the container stack");
    for secret in ["JWT_SECRET_KEY", "SECRET_KEY"] {
        assert_eq!(app["env"][secret]["generator"], "secret", "{secret}");
    }
    assert_eq!(app["env"]["APP_ENV"]["value"], "production");
    assert_eq!(app["env"]["ADMIN_PASSWORD"]["required"], true);
    assert!(app["env"]["ADMIN_PASSWORD"].get("value").is_none(), "no default admin password");
    let addons: Vec<&str> = app["addons"].as_array().unwrap().iter().map(|a| a["plan"].as_str().unwrap()).collect();
    assert!(addons.iter().any(|p| p.starts_with("heroku-postgresql:")), "{addons:?}");
    assert!(app["formation"]["web"]["quantity"].as_u64().unwrap() >= 1);
    for (key, spec) in app["env"].as_object().unwrap() {
        assert!(spec["description"].as_str().is_some_and(|d| !d.is_empty()), "{key} has a description");
    }

    // What Heroku sets from it, plus PORT and the add-on's DATABASE_URL, runs in production.
    let mut vars = platform_env(&heroku_env(), &[("ADMIN_PASSWORD", "Senha-Da-Loja-2026")]);
    vars.extend([("PORT".into(), "41234".into()), ("DATABASE_URL".into(), POSTGRES_URL.into())]);
    let config = config(vars);
    assert!(config.is_production());
    assert_eq!(config.production_problems(), Vec::<String>::new());
    assert_eq!(config.port, 41234);
    assert!(config.force_https && config.trust_proxy == 1);
    assert!(!config.database.is_sqlite());
}

#[test]
fn the_digitalocean_spec_has_the_api_the_static_ui_and_the_database() {
    let spec = yaml(".do/app.yaml");
    let name = spec["name"].as_str().unwrap();
    let dns = |n: &str| {
        (2..=32).contains(&n.len()) && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    assert!(dns(name), "{name}");
    assert!(spec["region"].as_str().is_some_and(|r| r.len() == 3), "region slug");

    let api = &spec["services"][0];
    let static_site = &spec["static_sites"][0];
    let database = &spec["databases"][0];
    let names: BTreeSet<&str> = [api, static_site, database].iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 3, "component names are unique");
    assert!(names.iter().all(|n| dns(n)), "{names:?}");
    for component in [api, static_site] {
        assert!(component["github"]["repo"].as_str().is_some_and(|r| r.contains('/')), "source repository");
        assert!(component["github"]["branch"].is_string());
    }

    // The API: the Dockerfile, on the port the image listens on, under /api with the prefix kept.
    let runtime = dockerfile().pop().unwrap();
    let port: HashMap<String, String> = runtime.env().into_iter().collect();
    assert_eq!(api["dockerfile_path"], "Dockerfile");
    assert!(path(api["dockerfile_path"].as_str().unwrap()).exists());
    assert_eq!(api["http_port"].as_u64().unwrap().to_string(), port["PORT"]);
    assert_eq!(api["routes"][0]["path"], "/api");
    assert_eq!(api["routes"][0]["preserve_path_prefix"], true, "the server's routes start with /api");
    assert_eq!(api["health_check"]["http_path"], "/readyz");
    assert!(api["instance_size_slug"].is_string() && api["instance_count"].as_u64().unwrap() >= 1);
    let envs: HashMap<&str, &serde_yaml_ng::Value> =
        api["envs"].as_sequence().unwrap().iter().map(|e| (e["key"].as_str().unwrap(), e)).collect();
    let database_name = database["name"].as_str().unwrap();
    assert_eq!(envs["DATABASE_URL"]["value"].as_str().unwrap(), format!("${{{database_name}.DATABASE_URL}}"));
    for secret in ["JWT_SECRET_KEY", "SECRET_KEY", "ADMIN_PASSWORD"] {
        assert_eq!(envs[secret]["type"], "SECRET", "{secret}");
        assert!(envs[secret].get("value").is_none(), "{secret}: no value in the repository");
    }
    for env in envs.values() {
        let scope = env["scope"].as_str().unwrap_or("RUN_AND_BUILD_TIME");
        assert!(["RUN_TIME", "BUILD_TIME", "RUN_AND_BUILD_TIME"].contains(&scope));
    }

    // The UI: built from web/ with the API's URL, served with the SPA fallback.
    assert_eq!(static_site["source_dir"], "web");
    assert!(path("web/package.json").exists());
    assert!(static_site["build_command"].as_str().unwrap().contains("npm run build"));
    assert_eq!(static_site["output_dir"], "dist");
    assert_eq!(static_site["catchall_document"], "index.html");
    assert_eq!(static_site["routes"][0]["path"], "/");
    let vite = &static_site["envs"][0];
    assert_eq!((vite["key"].as_str(), vite["scope"].as_str()), (Some("VITE_API_URL"), Some("BUILD_TIME")));

    assert_eq!(database["engine"], "PG");

    // What DigitalOcean sets (secrets typed in the panel, bindings resolved) runs in production.
    let typed = [
        ("JWT_SECRET_KEY", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        ("SECRET_KEY", "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"),
        ("ADMIN_PASSWORD", "Senha-Da-Loja-2026"),
        (
            "DATABASE_URL",
            "postgresql://doadmin:AVNS_x@db-postgresql-nyc3-1.b.db.ondigitalocean.com:25060/defaultdb?sslmode=require",
        ),
        ("CORS_ORIGINS", "https://sistema-vendas-abc12.ondigitalocean.app"),
    ];
    let mut vars = platform_env(&digitalocean_env(), &typed);
    vars.push(("PORT".into(), "8080".into()));
    let config = config(vars);
    assert!(config.is_production());
    assert_eq!(config.production_problems(), Vec::<String>::new());
    assert_eq!(config.cors_origins, ["https://sistema-vendas-abc12.ondigitalocean.app"]);
}

#[test]
fn the_aws_files_run_the_image_behind_a_load_balancer_checking_readyz() {
    let dockerrun = json("deploy/aws/Dockerrun.aws.json");
    assert_eq!(dockerrun["AWSEBDockerrunVersion"], "1");
    assert!(dockerrun["Image"]["Name"].as_str().unwrap().ends_with("/sistema-vendas:latest"));
    let runtime = dockerfile().pop().unwrap();
    assert_eq!(dockerrun["Ports"][0]["ContainerPort"].as_u64().unwrap().to_string(), runtime.all("EXPOSE")[0]);

    let eb = yaml("deploy/aws/.ebextensions/01-sistema-vendas.config");
    let options = &eb["option_settings"];
    assert_eq!(options["aws:elasticbeanstalk:environment"]["LoadBalancerType"], "application");
    assert_eq!(options["aws:elasticbeanstalk:environment:process:default"]["HealthCheckPath"], "/readyz");
    let env = &options["aws:elasticbeanstalk:application:environment"];
    assert_eq!(env["APP_ENV"], "production");
    let https = yaml("deploy/aws/.ebextensions/02-https.config.example");
    assert_eq!(https["option_settings"]["aws:elbv2:listener:443"]["Protocol"], "HTTPS");

    let stack = yaml("deploy/aws/web-stack.yaml");
    assert_eq!(stack["AWSTemplateFormatVersion"], "2010-09-09");
    let resources = &stack["Resources"];
    assert_eq!(resources["Bucket"]["Type"], "AWS::S3::Bucket");
    let distribution = &resources["Distribution"]["Properties"]["DistributionConfig"];
    assert_eq!(distribution["DefaultRootObject"], "index.html");
    let fallbacks: Vec<(u64, u64, &str)> = distribution["CustomErrorResponses"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ErrorCode"].as_u64().unwrap(),
                r["ResponseCode"].as_u64().unwrap(),
                r["ResponsePagePath"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(fallbacks, [(403, 200, "/index.html"), (404, 200, "/index.html")], "deep links load the SPA");
    assert_eq!(distribution["DefaultCacheBehavior"]["ViewerProtocolPolicy"], "redirect-to-https");
    let csp = resources["SecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
        ["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
        .as_str()
        .unwrap();
    assert!(csp.contains("connect-src 'self' ${ApiUrl}") && csp.contains("script-src 'self'"), "{csp}");
}

fn dry_run(script: &str, vars: &[(&str, &str)]) -> String {
    let output = std::process::Command::new("bash")
        .arg(path(script))
        .env("DRY_RUN", "1")
        .envs(vars.iter().copied())
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(output.status.success(), "{script}: {stdout}{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

#[test]
fn the_s3_upload_caches_hashed_assets_for_a_year_and_index_html_never() {
    let out = dry_run("deploy/aws/deploy-web.sh", &[("API_URL", "https://api.minhaloja.com.br/")]);
    assert!(out.contains("+ env VITE_API_URL=https://api.minhaloja.com.br npm --prefix web run build"), "{out}");
    assert!(
        out.contains(
            "aws s3 sync web/dist/assets s3://<BucketName>/assets --cache-control public, max-age=31536000, immutable"
        ),
        "{out}"
    );
    assert!(
        out.contains("aws s3 cp web/dist/index.html s3://<BucketName>/index.html --cache-control no-cache"),
        "{out}"
    );
    assert!(out.contains("--exclude assets/* --exclude index.html --cache-control no-cache"), "{out}");
    assert!(out.contains("aws cloudfront create-invalidation --distribution-id <DistributionId>"), "{out}");
}

#[test]
fn the_api_deploy_publishes_the_image_of_this_version_to_elastic_beanstalk() {
    let out =
        dry_run("deploy/aws/deploy-api.sh", &[("AWS_REGION", "sa-east-1"), ("EB_ENV", "vendas-prod"), ("TAG", "v42")]);
    let image = "ACCOUNT_ID.dkr.ecr.sa-east-1.amazonaws.com/sistema-vendas:v42";
    assert!(out.contains(&format!("+ docker build -t {image} .")), "{out}");
    assert!(out.contains(&format!("+ docker push {image}")), "{out}");
    assert!(out.contains(&format!("\"Name\": \"{image}\"")), "the bundle runs this image: {out}");
    assert!(
        out.contains("aws elasticbeanstalk update-environment --environment-name vendas-prod --version-label v42"),
        "{out}"
    );
    let missing = std::process::Command::new("bash")
        .arg(path("deploy/aws/deploy-api.sh"))
        .env("DRY_RUN", "1")
        .env_remove("AWS_REGION")
        .env_remove("EB_ENV")
        .output()
        .unwrap();
    assert!(!missing.status.success(), "refuses without AWS_REGION and EB_ENV");
}
