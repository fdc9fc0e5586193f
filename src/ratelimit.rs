//! Login brute-force protection. Login attempts are counted per username and per client
//! address in a fixed window; once either count passes its limit, attempts are refused (429)
//! until the window ends, even with the right password, and before any password is checked.
//! A successful login takes its own attempt back and clears the username's count, so only
//! failures add up.
//!
//! With `REDIS_URL` the counts live in Redis, changed by atomic scripts, and every instance
//! behind a load balancer sees the same counts; without it each instance counts alone. If Redis
//! stops answering, each instance falls back to its own counts (logging a warning) rather than
//! refusing logins: the shop keeps selling.
//!
//! The keys are HMACs of the username or address keyed with `SECRET_KEY`: Redis never holds
//! who tried to log in, and two installations sharing a Redis never share counts.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context;
use hmac::{KeyInit, Mac};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::config::{LoginLimits, mask_password};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Entries kept in memory before expired ones are swept out.
const SWEEP_ABOVE: usize = 10_000;

pub struct LoginLimiter {
    limits: LoginLimits,
    secret: Vec<u8>,
    memory: Mutex<HashMap<String, Window>>,
    redis: Option<ConnectionManager>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    count: u32,
    ends: Instant,
}

/// An attempt that was let through: hand it back to [`LoginLimiter::succeeded`] on success.
pub struct Attempt {
    username_key: String,
    address_key: String,
}

/// Counts an attempt on each key (`KEYS`), starting its window on the first; returns the
/// milliseconds until the latest window of a key past its limit (`ARGV[2..]`) ends, or 0.
const ATTEMPT_SCRIPT: &str = r"
local wait = 0
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 or redis.call('PTTL', key) < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
  end
  if count > tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl > wait then wait = ttl end
  end
end
return wait
";

/// Clears the username's count (`KEYS[1]`) and takes the attempt back from the address's.
const SUCCESS_SCRIPT: &str = r"
redis.call('DEL', KEYS[1])
local count = tonumber(redis.call('GET', KEYS[2]) or '0')
if count > 0 then redis.call('DECR', KEYS[2]) end
return 0
";

impl LoginLimiter {
    /// Without `redis_url`, counts in memory. With it, connects now: a Redis that is configured
    /// but unreachable at start-up is a configuration error worth stopping for.
    pub async fn new(limits: LoginLimits, secret: &[u8], redis_url: Option<&str>) -> anyhow::Result<LoginLimiter> {
        let redis = match redis_url {
            None => None,
            Some(url) => Some(connect_redis(url).await?),
        };
        Ok(LoginLimiter { limits, secret: secret.to_vec(), memory: Mutex::new(HashMap::new()), redis })
    }

    pub fn uses_redis(&self) -> bool {
        self.redis.is_some()
    }

    /// Counts a login attempt. `Err(seconds)`: the username or the address is held back for
    /// that long.
    pub async fn attempt(&self, username: &str, address: IpAddr) -> Result<Attempt, u64> {
        let attempt = Attempt {
            username_key: self.key("u", &username.trim().to_lowercase()),
            address_key: self.key("a", &address.to_string()),
        };
        let wait = match &self.redis {
            Some(redis) => {
                let result = redis::Script::new(ATTEMPT_SCRIPT)
                    .key(&attempt.username_key)
                    .key(&attempt.address_key)
                    .arg(self.limits.window.as_millis() as u64)
                    .arg(self.limits.per_username)
                    .arg(self.limits.per_address)
                    .invoke_async::<u64>(&mut redis.clone())
                    .await;
                match result {
                    Ok(millis) => Duration::from_millis(millis),
                    Err(error) => {
                        tracing::warn!(%error, "Redis indisponível: limite de login contado só nesta instância");
                        self.attempt_in_memory(&attempt)
                    }
                }
            }
            None => self.attempt_in_memory(&attempt),
        };
        if wait.is_zero() { Ok(attempt) } else { Err(wait.as_millis().div_ceil(1000).max(1) as u64) }
    }

    /// The attempt logged in: it does not count, and the username's failures are forgotten.
    pub async fn succeeded(&self, attempt: Attempt) {
        if let Some(redis) = &self.redis {
            let result = redis::Script::new(SUCCESS_SCRIPT)
                .key(&attempt.username_key)
                .key(&attempt.address_key)
                .invoke_async::<u64>(&mut redis.clone())
                .await;
            match result {
                Ok(_) => return,
                Err(error) => tracing::warn!(%error, "Redis indisponível ao registrar login bem-sucedido"),
            }
        }
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        memory.remove(&attempt.username_key);
        if let Some(window) = memory.get_mut(&attempt.address_key) {
            window.count = window.count.saturating_sub(1);
        }
    }

    fn attempt_in_memory(&self, attempt: &Attempt) -> Duration {
        let now = Instant::now();
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        if memory.len() > SWEEP_ABOVE {
            memory.retain(|_, window| window.ends > now);
        }
        let mut wait = Duration::ZERO;
        for (key, limit) in
            [(&attempt.username_key, self.limits.per_username), (&attempt.address_key, self.limits.per_address)]
        {
            let window = memory.entry(key.clone()).or_insert(Window { count: 0, ends: now + self.limits.window });
            if window.ends <= now {
                *window = Window { count: 0, ends: now + self.limits.window };
            }
            window.count += 1;
            if window.count > limit {
                wait = wait.max(window.ends - now);
            }
        }
        wait
    }

    fn key(&self, kind: &str, value: &str) -> String {
        let mut mac = HmacSha256::new_from_slice(&self.secret).expect("HMAC aceita chaves de qualquer tamanho");
        mac.update(kind.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        let digest = mac.finalize().into_bytes();
        format!("sistema-vendas:login:{kind}:{}", hex::encode(&digest[..16]))
    }
}

/// A connection to Redis that reconnects by itself, with short timeouts so that a login never
/// waits long for a Redis that went away. `rediss://` uses TLS (add `#insecure` to the URL for a
/// server with a self-signed certificate, as Heroku's).
pub async fn connect_redis(url: &str) -> anyhow::Result<ConnectionManager> {
    let masked = mask_password(url);
    let client = redis::Client::open(url).map_err(|_| anyhow::anyhow!("REDIS_URL inválido: {masked}"))?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(3)))
        .set_response_timeout(Some(Duration::from_secs(1)))
        .set_number_of_retries(1);
    let mut manager = ConnectionManager::new_with_config(client, config)
        .await
        .map_err(|e| anyhow::anyhow!("não foi possível conectar ao Redis em {masked}: {e}"))?;
    redis::cmd("PING")
        .query_async::<String>(&mut manager)
        .await
        .map_err(|e| anyhow::anyhow!("o Redis em {masked} não respondeu ao PING: {e}"))
        .context("verifique REDIS_URL")?;
    Ok(manager)
}
