//! Behind a proxy or load balancer (Heroku's router, DigitalOcean's, an AWS ALB): the scheme the
//! client used comes from `X-Forwarded-Proto`, and the client's address from `X-Forwarded-For`
//! when the operator said how many proxies to trust (`TRUST_PROXY`). HSTS is sent only on
//! responses the client received over HTTPS; `FORCE_HTTPS` redirects plain HTTP to HTTPS.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, uri::Authority};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::config::Config;

/// What load balancers and scrapers call over plain HTTP inside the platform: never redirected.
const PLAIN_HTTP_PATHS: &[&str] = &["/healthz", "/readyz", "/metrics"];

const HSTS: &str = "max-age=31536000";

/// True when the client reached the proxy over HTTPS. The first value counts: the proxy next to
/// the client writes it. A client talking to the server directly could claim HTTPS, but that
/// only spares itself a redirect.
pub fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// Redirects to HTTPS when configured, and adds HSTS to what is served over HTTPS.
pub async fn https(State(config): State<Arc<Config>>, request: Request, next: Next) -> Response {
    let secure = forwarded_https(request.headers());
    if config.force_https && !secure && !PLAIN_HTTP_PATHS.contains(&request.uri().path()) {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.parse::<Authority>().ok())
            .or_else(|| request.uri().authority().cloned());
        if let Some(host) = host {
            let path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            if let Ok(location) = HeaderValue::from_str(&format!("https://{}{path}", host.host())) {
                return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response();
            }
        }
    }
    let mut response = next.run(request).await;
    if secure {
        response.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}

/// The client's address: the peer's, or with `TRUST_PROXY=n` the address that the outermost of
/// the `n` trusted proxies appended to `X-Forwarded-For` (entries further left were written by
/// whoever sent the request, and can be anything).
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted_proxies: u8) -> IpAddr {
    if trusted_proxies == 0 {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let Some(entry) = entries.get(entries.len().saturating_sub(trusted_proxies as usize)) else {
        return peer;
    };
    entry.parse::<IpAddr>().or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip())).unwrap_or(peer)
}

/// The address of the client making the request (see [`client_address`]).
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientAddress(client_address(peer, &parts.headers, state.config.trust_proxy)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    const PEER: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));

    #[test]
    fn without_trust_the_peer_is_the_client_whatever_the_headers_say() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(client_address(PEER, &h, 0), PEER);
    }

    #[test]
    fn trusting_one_proxy_takes_the_address_it_appended() {
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.7")]);
        assert_eq!(client_address(PEER, &h, 1), "203.0.113.7".parse::<IpAddr>().unwrap());
        // Two headers count as one list.
        let h = headers(&[("x-forwarded-for", "6.6.6.6"), ("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(client_address(PEER, &h, 1), "203.0.113.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn trusting_two_proxies_looks_one_entry_further() {
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.2, 10.1.1.1")]);
        assert_eq!(client_address(PEER, &h, 2), "198.51.100.2".parse::<IpAddr>().unwrap());
        // Fewer entries than proxies: every entry came from a trusted proxy; take the first.
        let h = headers(&[("x-forwarded-for", "198.51.100.2")]);
        assert_eq!(client_address(PEER, &h, 3), "198.51.100.2".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn odd_entries_fall_back_to_the_peer_and_ports_are_dropped() {
        assert_eq!(client_address(PEER, &headers(&[("x-forwarded-for", "unknown")]), 1), PEER);
        assert_eq!(client_address(PEER, &headers(&[]), 1), PEER);
        let h = headers(&[("x-forwarded-for", "[2001:db8::1]:4711")]);
        assert_eq!(client_address(PEER, &h, 1), "2001:db8::1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn the_first_forwarded_proto_decides() {
        assert!(forwarded_https(&headers(&[("x-forwarded-proto", "https")])));
        assert!(forwarded_https(&headers(&[("x-forwarded-proto", "HTTPS, http")])));
        assert!(!forwarded_https(&headers(&[("x-forwarded-proto", "http")])));
        assert!(!forwarded_https(&headers(&[])));
    }
}
