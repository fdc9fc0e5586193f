//! Reading the deployment files the way the platforms do, for the tests that check them and
//! the tests that run what they say.

use std::collections::BTreeMap;
use std::path::PathBuf;

pub fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

pub fn read(relative: &str) -> String {
    std::fs::read_to_string(path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

pub fn json(relative: &str) -> serde_json::Value {
    serde_json::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative} não é JSON válido: {e}"))
}

pub fn yaml(relative: &str) -> serde_yaml_ng::Value {
    serde_yaml_ng::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative} não é YAML válido: {e}"))
}

/// The process types of the Procfile.
pub fn procfile() -> BTreeMap<String, String> {
    read("Procfile")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, command) = l.split_once(':').expect("tipo: comando");
            (name.trim().to_string(), command.trim().to_string())
        })
        .collect()
}

/// One stage of the Dockerfile: its `FROM` line and instructions (continuations joined).
#[derive(Debug, Clone)]
pub struct Stage {
    pub from: String,
    pub instructions: Vec<(String, String)>,
}

impl Stage {
    pub fn all(&self, instruction: &str) -> Vec<&str> {
        self.instructions.iter().filter(|(i, _)| i == instruction).map(|(_, a)| a.as_str()).collect()
    }

    /// The `ENV` variables, in order.
    pub fn env(&self) -> Vec<(String, String)> {
        self.all("ENV")
            .iter()
            .flat_map(|args| args.split_whitespace())
            .map(|pair| {
                let (k, v) = pair.split_once('=').expect("ENV CHAVE=valor");
                (k.to_string(), v.trim_matches('"').to_string())
            })
            .collect()
    }

    /// An exec-form instruction (`CMD ["a", "b"]`) as its arguments.
    pub fn exec_form(&self, instruction: &str) -> Vec<String> {
        let args = self.all(instruction).last().copied().unwrap_or_else(|| panic!("sem {instruction}")).to_string();
        let json = &args[args.find('[').expect("forma exec: [..]")..];
        serde_json::from_str(json).expect("forma exec em JSON")
    }
}

pub fn dockerfile() -> Vec<Stage> {
    let text = read("Dockerfile");
    let mut logical = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(start) => {
                current.push_str(start);
                current.push(' ');
            }
            None => {
                current.push_str(line);
                logical.push(std::mem::take(&mut current));
            }
        }
    }
    let mut stages: Vec<Stage> = Vec::new();
    for line in logical.into_iter().filter(|l| !l.trim().is_empty()) {
        let (instruction, args) = line.split_once(' ').unwrap_or((&line, ""));
        let instruction = instruction.to_uppercase();
        if instruction == "FROM" {
            stages.push(Stage { from: args.trim().to_string(), instructions: Vec::new() });
        } else {
            stages.last_mut().expect("FROM primeiro").instructions.push((instruction, args.trim().to_string()));
        }
    }
    stages
}

/// What a platform sets from a manifest's variables: given values as they are, generated
/// secrets as Heroku's `generator: secret` makes them (64 hex characters), and the values an
/// operator must type (`required` or `type: SECRET`) from `typed`.
pub fn platform_env(vars: &[(String, Option<String>)], typed: &[(&str, &str)]) -> Vec<(String, String)> {
    vars.iter()
        .filter_map(|(key, value)| {
            let value = match value {
                Some(value) if value == "<generated>" => generated_secret(key),
                Some(value) => value.clone(),
                None => typed.iter().find(|(k, _)| k == key).map(|(_, v)| v.to_string())?,
            };
            Some((key.clone(), value))
        })
        .collect()
}

fn generated_secret(seed: &str) -> String {
    let mut state =
        seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    (0..64)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            char::from_digit(((state >> 33) % 16) as u32, 16).unwrap()
        })
        .collect()
}

/// app.json's `env`: (name, value), with `<generated>` for generated secrets and None for
/// values the operator types.
pub fn heroku_env() -> Vec<(String, Option<String>)> {
    let app = json("app.json");
    app["env"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, spec)| {
            let value = if spec["generator"] == "secret" {
                Some("<generated>".to_string())
            } else {
                spec["value"].as_str().filter(|v| !v.is_empty()).map(str::to_string)
            };
            (key.clone(), value)
        })
        .collect()
}

/// The API service's `envs` in .do/app.yaml: (name, value), None for secrets and for values
/// bound by the platform (`${...}`), which the caller supplies.
pub fn digitalocean_env() -> Vec<(String, Option<String>)> {
    let spec = yaml(".do/app.yaml");
    spec["services"][0]["envs"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|env| {
            let value = env["value"].as_str().filter(|v| !v.starts_with("${")).map(str::to_string);
            (env["key"].as_str().unwrap().to_string(), value)
        })
        .collect()
}
