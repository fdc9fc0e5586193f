//! Login brute-force protection that no attacker can turn into a lockout of someone else.
//!
//! Three counts of failed logins, each forgotten `window` after its last failure: per username
//! (from any address), per client address (any username) and per pair of the two. While the
//! username or the address is past its limit, a pair with failures must wait before its next
//! password check: 1 s after its first failure, doubling with each one, up to `window`; the
//! wait is answered 429 without checking any password. A pair without failures is always let
//! through, so a user attacked from elsewhere still logs in, and so do the other users behind an
//! attacker's address. An address past its limit also gets no password checked for usernames
//! that do not exist (see [`Attempt::spares_unknown_user`]): one address cannot keep the server
//! busy with bcrypt. IPv6 addresses count by their /64, the block one client usually holds.
//!
//! An attempt counts as a failure as soon as it is let through, so that parallel attempts cannot
//! get past the limits before the first of them is checked. A successful login takes back its
//! pair's failures from all three counts: those were the user's own typos.
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
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use hmac::{KeyInit, Mac};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::config::{LoginLimits, mask_password};
use crate::domain::text::clean_name;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Entries kept in memory before expired ones are swept out.
const SWEEP_ABOVE: usize = 10_000;

/// The wait after a pair's first failure, while its username or address is past the limit.
const FIRST_DELAY: Duration = Duration::from_secs(1);

pub struct LoginLimiter {
    limits: LoginLimits,
    secret: Vec<u8>,
    memory: Mutex<Memory>,
    redis: Option<ConnectionManager>,
    /// How long the last check of an unknown user's password took, in microseconds (0: none yet).
    check_micros: AtomicU64,
}

#[derive(Default)]
struct Memory {
    counts: HashMap<String, Count>,
    sweep_above: usize,
}

#[derive(Debug, Clone, Copy)]
struct Count {
    count: u32,
    last: Instant,
    expires: Instant,
}

/// Which count reached its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Username,
    Address,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Username => "username",
            Scope::Address => "address",
        }
    }
}

/// An attempt that was let through: hand it back to [`LoginLimiter::succeeded`] on success.
pub struct Attempt {
    keys: Keys,
    /// The counts with this attempt.
    username_failures: u32,
    address_failures: u32,
    /// The username or the address was past its limit.
    strict: bool,
    limits: LoginLimits,
}

struct Keys {
    username: String,
    address: String,
    pair: String,
}

impl Attempt {
    /// The username or the address is past its limit: if the username does not exist, answer
    /// as for a wrong password without checking one ([`LoginLimiter::imitate_check`]).
    pub fn spares_unknown_user(&self) -> bool {
        self.strict
    }

    /// The counts that this attempt, if it fails, brings to their limit: a likely attack.
    pub fn limits_reached(&self) -> Vec<Scope> {
        let mut reached = Vec::new();
        if self.username_failures == self.limits.per_username {
            reached.push(Scope::Username);
        }
        if self.address_failures == self.limits.per_address {
            reached.push(Scope::Address);
        }
        reached
    }
}

/// What the counts say about an attempt: its wait, or the counts with it.
enum Verdict {
    Wait(Duration),
    Counted { username: u32, address: u32, strict: bool },
}

/// The wait after a pair's `failures`-th failure while its username or address is past the limit.
fn delay(failures: u32, window: Duration) -> Duration {
    FIRST_DELAY.saturating_mul(1u32.checked_shl(failures.saturating_sub(1)).unwrap_or(u32::MAX)).min(window)
}

/// The part of an address that counts: IPv6 by its /64 (an IPv4 address mapped into IPv6 is
/// the IPv4 address).
fn address_block(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Counts an attempt of the pair `KEYS[3]` of username `KEYS[1]` and address `KEYS[2]`, unless
/// the pair must wait. `ARGV`: window (ms), username limit, address limit, first delay (ms).
/// Returns `{wait_ms, 0, 0, 0}` or `{0, username_failures, address_failures, strict}`.
const ATTEMPT_SCRIPT: &str = r"
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local function delay(failures)
  return math.min(window, tonumber(ARGV[4]) * 2 ^ (failures - 1))
end
local username = tonumber(redis.call('GET', KEYS[1]) or '0')
local address = tonumber(redis.call('GET', KEYS[2]) or '0')
local pair = redis.call('HMGET', KEYS[3], 'count', 'last')
local failures = tonumber(pair[1] or '0')
local strict = username >= tonumber(ARGV[2]) or address >= tonumber(ARGV[3])
if strict and failures > 0 then
  local wait = tonumber(pair[2]) + delay(failures) - now
  if wait > 0 then return {math.ceil(wait), 0, 0, 0} end
end
redis.call('SET', KEYS[1], username + 1, 'PX', window)
redis.call('SET', KEYS[2], address + 1, 'PX', window)
redis.call('HSET', KEYS[3], 'count', failures + 1, 'last', now)
redis.call('PEXPIRE', KEYS[3], math.floor(delay(failures + 1)) + window)
return {0, username + 1, address + 1, strict and 1 or 0}
";

/// Takes the pair's (`KEYS[3]`) failures back from the username's and the address's counts.
const SUCCESS_SCRIPT: &str = r"
local failures = tonumber(redis.call('HGET', KEYS[3], 'count') or '0')
redis.call('DEL', KEYS[3])
for i = 1, 2 do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count > failures then redis.call('DECRBY', KEYS[i], failures) else redis.call('DEL', KEYS[i]) end
end
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
        Ok(LoginLimiter {
            limits,
            secret: secret.to_vec(),
            memory: Mutex::default(),
            redis,
            check_micros: AtomicU64::new(0),
        })
    }

    pub fn uses_redis(&self) -> bool {
        self.redis.is_some()
    }

    /// Counts a login attempt. `Err(seconds)`: this username from this address must wait that
    /// long before its password is checked again.
    pub async fn attempt(&self, username: &str, address: IpAddr) -> Result<Attempt, u64> {
        let user = clean_name(username).unwrap_or_default().to_lowercase();
        let block = address_block(address);
        let keys = Keys {
            username: self.key("u", &[&user]),
            address: self.key("a", &[&block]),
            pair: self.key("p", &[&user, &block]),
        };
        let verdict = match &self.redis {
            Some(redis) => {
                let result = redis::Script::new(ATTEMPT_SCRIPT)
                    .key(&keys.username)
                    .key(&keys.address)
                    .key(&keys.pair)
                    .arg(self.limits.window.as_millis() as u64)
                    .arg(self.limits.per_username)
                    .arg(self.limits.per_address)
                    .arg(FIRST_DELAY.as_millis() as u64)
                    .invoke_async::<(u64, u32, u32, u8)>(&mut redis.clone())
                    .await;
                match result {
                    Ok((0, username, address, strict)) => Verdict::Counted { username, address, strict: strict == 1 },
                    Ok((wait, ..)) => Verdict::Wait(Duration::from_millis(wait)),
                    Err(error) => {
                        tracing::warn!(%error, "Redis indisponível: limite de login contado só nesta instância");
                        self.attempt_in_memory(&keys)
                    }
                }
            }
            None => self.attempt_in_memory(&keys),
        };
        match verdict {
            Verdict::Wait(wait) => Err(wait.as_millis().div_ceil(1000).max(1) as u64),
            Verdict::Counted { username, address, strict } => Ok(Attempt {
                keys,
                username_failures: username,
                address_failures: address,
                strict,
                limits: self.limits,
            }),
        }
    }

    /// The attempt logged in: its pair's failures were the user's own, and are forgotten.
    pub async fn succeeded(&self, attempt: Attempt) {
        let keys = &attempt.keys;
        if let Some(redis) = &self.redis {
            let result = redis::Script::new(SUCCESS_SCRIPT)
                .key(&keys.username)
                .key(&keys.address)
                .key(&keys.pair)
                .invoke_async::<u64>(&mut redis.clone())
                .await;
            match result {
                Ok(_) => return,
                Err(error) => tracing::warn!(%error, "Redis indisponível ao registrar login bem-sucedido"),
            }
        }
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        let failures = memory.counts.remove(&keys.pair).map_or(0, |pair| pair.count);
        for key in [&keys.username, &keys.address] {
            if let Some(count) = memory.counts.get_mut(key) {
                count.count = count.count.saturating_sub(failures);
            }
        }
    }

    /// Notes how long the check of an unknown user's password (against the decoy hash) took.
    pub fn checked_in(&self, took: Duration) {
        self.check_micros.store(took.as_micros().max(1) as u64, Ordering::Relaxed);
    }

    /// Whether a check was timed already, for [`LoginLimiter::imitate_check`] to imitate.
    pub fn can_imitate_check(&self) -> bool {
        self.check_micros.load(Ordering::Relaxed) != 0
    }

    /// Takes as long as the last check of an unknown user's password, without the work (false
    /// when none was timed yet): a spared check answers no sooner than a real one.
    pub async fn imitate_check(&self) -> bool {
        match self.check_micros.load(Ordering::Relaxed) {
            0 => false,
            micros => {
                tokio::time::sleep(Duration::from_micros(micros)).await;
                true
            }
        }
    }

    fn attempt_in_memory(&self, keys: &Keys) -> Verdict {
        let now = Instant::now();
        let window = self.limits.window;
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        if memory.counts.len() > memory.sweep_above.max(SWEEP_ABOVE) {
            memory.counts.retain(|_, count| count.expires > now);
            memory.sweep_above = memory.counts.len() * 2;
        }
        let live = |key: &String| memory.counts.get(key).filter(|c| c.expires > now).copied();
        let username = live(&keys.username).map_or(0, |c| c.count);
        let address = live(&keys.address).map_or(0, |c| c.count);
        let pair = live(&keys.pair);
        let strict = username >= self.limits.per_username || address >= self.limits.per_address;
        if let Some(pair) = pair.filter(|_| strict) {
            let until = pair.last + delay(pair.count, window);
            if until > now {
                return Verdict::Wait(until - now);
            }
        }
        let failures = pair.map_or(0, |c| c.count) + 1;
        let counts = [
            (&keys.username, username + 1, window),
            (&keys.address, address + 1, window),
            (&keys.pair, failures, delay(failures, window) + window),
        ];
        for (key, count, lasts) in counts {
            memory.counts.insert(key.clone(), Count { count, last: now, expires: now + lasts });
        }
        Verdict::Counted { username: username + 1, address: address + 1, strict }
    }

    fn key(&self, kind: &str, parts: &[&str]) -> String {
        let mut mac = HmacSha256::new_from_slice(&self.secret).expect("HMAC aceita chaves de qualquer tamanho");
        mac.update(kind.as_bytes());
        for part in parts {
            mac.update(b"\0");
            mac.update(part.as_bytes());
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_with_each_failure_up_to_the_window() {
        let window = Duration::from_secs(900);
        let waits: Vec<u64> = (1..=12).map(|n| delay(n, window).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
        assert_eq!(delay(u32::MAX, window), window);
        assert_eq!(delay(3, Duration::from_secs(1)), Duration::from_secs(1));
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_block() {
        let block = |a: &str| address_block(a.parse().unwrap());
        assert_eq!(block("2001:db8:1:2:aaaa::1"), block("2001:db8:1:2:ffff:1:2:3"));
        assert_ne!(block("2001:db8:1:2::1"), block("2001:db8:1:3::1"));
        assert_eq!(block("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(block("203.0.113.9"), "203.0.113.9");
    }

    fn limiter(per_username: u32, per_address: u32) -> LoginLimiter {
        let limits = LoginLimits { per_username, per_address, window: Duration::from_secs(900) };
        LoginLimiter {
            limits,
            secret: b"s".to_vec(),
            memory: Mutex::default(),
            redis: None,
            check_micros: AtomicU64::new(0),
        }
    }

    #[tokio::test]
    async fn a_pair_waits_only_once_its_username_or_address_is_past_the_limit() {
        let limiter = limiter(3, 100);
        let attacker: IpAddr = "203.0.113.66".parse().unwrap();
        let shop: IpAddr = "198.51.100.7".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.attempt("admin", attacker).await.is_ok());
        }
        assert_eq!(limiter.attempt(" Admin ", attacker).await.err(), Some(4));
        let from_the_shop = limiter.attempt("admin", shop).await.expect("a clean pair goes through");
        assert!(from_the_shop.spares_unknown_user());
        limiter.succeeded(from_the_shop).await;
        assert!(limiter.attempt("maria", attacker).await.is_ok());
    }

    #[tokio::test]
    async fn a_success_takes_back_only_its_pairs_failures() {
        let limiter = limiter(4, 100);
        let shop: IpAddr = "198.51.100.7".parse().unwrap();
        let attacker: IpAddr = "203.0.113.66".parse().unwrap();
        assert!(limiter.attempt("admin", attacker).await.is_ok());
        for _ in 0..2 {
            assert!(limiter.attempt("admin", shop).await.is_ok());
        }
        let success = limiter.attempt("admin", shop).await.unwrap();
        assert_eq!(success.limits_reached(), [Scope::Username]);
        limiter.succeeded(success).await;
        let next = limiter.attempt("admin", shop).await.unwrap();
        assert_eq!((next.username_failures, next.address_failures, next.strict), (2, 1, false));
    }
}
