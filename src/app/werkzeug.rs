//! Password hashes written by the first version (Werkzeug): `scrypt:N:r:p$salt$hex` and, in
//! older installs, `pbkdf2:sha256:iterations$salt$hex`. Read only: a user who logs in with one
//! gets a bcrypt hash in its place.

use sha2::{Sha256, Sha512};
use subtle::ConstantTimeEq;

/// Parameters beyond these are not something Werkzeug writes; refusing them keeps a corrupt
/// row from costing gigabytes of memory or minutes of CPU.
const MAX_SCRYPT_LOG_N: u8 = 20;
const MAX_SCRYPT_R: u32 = 32;
const MAX_SCRYPT_P: u32 = 16;
const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

/// True when `stored` is a Werkzeug hash of `password`.
pub fn verify(password: &str, stored: &str) -> bool {
    let mut parts = stored.splitn(3, '$');
    let (Some(method), Some(salt), Some(expected_hex)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Ok(expected) = hex::decode(expected_hex) else {
        return false;
    };
    if expected.is_empty() || expected.len() > 128 {
        return false;
    }
    let mut actual = vec![0u8; expected.len()];
    let computed = match method.split(':').collect::<Vec<_>>().as_slice() {
        ["scrypt", n, r, p] => scrypt_hash(password, salt, n, r, p, &mut actual),
        ["pbkdf2", digest, iterations] => pbkdf2_hash(password, salt, digest, iterations, &mut actual),
        _ => false,
    };
    computed && bool::from(actual.ct_eq(&expected))
}

fn scrypt_hash(password: &str, salt: &str, n: &str, r: &str, p: &str, out: &mut [u8]) -> bool {
    let (Ok(n), Ok(r), Ok(p)) = (n.parse::<u64>(), r.parse::<u32>(), p.parse::<u32>()) else {
        return false;
    };
    if !n.is_power_of_two() || n < 2 || r > MAX_SCRYPT_R || p > MAX_SCRYPT_P {
        return false;
    }
    let log_n = n.trailing_zeros() as u8;
    if log_n > MAX_SCRYPT_LOG_N {
        return false;
    }
    let Ok(params) = scrypt::Params::new(log_n, r, p) else {
        return false;
    };
    scrypt::scrypt(password.as_bytes(), salt.as_bytes(), &params, out).is_ok()
}

fn pbkdf2_hash(password: &str, salt: &str, digest: &str, iterations: &str, out: &mut [u8]) -> bool {
    let Ok(iterations) = iterations.parse::<u32>() else {
        return false;
    };
    if iterations == 0 || iterations > MAX_PBKDF2_ITERATIONS {
        return false;
    }
    match digest {
        "sha256" => pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt.as_bytes(), iterations, out),
        "sha512" => pbkdf2::pbkdf2_hmac::<Sha512>(password.as_bytes(), salt.as_bytes(), iterations, out),
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hashes made with Python's hashlib exactly as Werkzeug makes them.
    const MARIA_FIXTURE: &str = "scrypt:32768:8:1$ega5OZk12kDr6bIP$09e529823660abc0e0bbed93dd69094a352926c9ffebf4596f530a83dc9aab584e7b70b6b96c89571a6ea3eee610e4ad8517e50f958273c44964dfadc31d6568";
    const PBKDF2: &str = "pbkdf2:sha256:1000$abc$edd0902a015216a4740ab96aaa6ac9e94703218fb7129e749c256cca391e1983";

    #[test]
    fn scrypt_hashes_of_the_first_version_verify() {
        assert!(verify("maria123", MARIA_FIXTURE));
        assert!(!verify("maria124", MARIA_FIXTURE));
    }

    #[test]
    fn pbkdf2_hashes_verify() {
        assert!(verify("senha123", PBKDF2));
        assert!(!verify("senha12", PBKDF2));
    }

    #[test]
    fn malformed_or_absurd_hashes_are_refused_quickly() {
        for stored in [
            "",
            "scrypt",
            "scrypt:32768:8:1$salt",
            "scrypt:32768:8:1$salt$zz",
            "scrypt:1000:8:1$salt$00",
            "scrypt:1099511627776:8:1$salt$00",
            "pbkdf2:md5:1000$abc$00",
            "pbkdf2:sha256:4000000000$abc$00",
            "argon2:x$y$00",
        ] {
            assert!(!verify("x", stored), "{stored}");
        }
    }
}
