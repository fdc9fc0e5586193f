//! Behind a proxy or load balancer (Heroku's router, DigitalOcean's, an AWS ALB): the scheme the
//! client used comes from `X-Forwarded-Proto`, and the client's address from `X-Forwarded-For`
//! when the operator said how many proxies to trust (`TRUST_PROXY`). HSTS is sent only on
//! responses the client received over HTTPS; `FORCE_HTTPS` redirects plain HTTP to the shop's
//! HTTPS address (`PUBLIC_URL`), never to a host the client named.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, uri::Authority};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::Error;
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

/// Where a plain-HTTP request for `requested` (its `Host`) goes over HTTPS: the public address
/// with that host name, or else the first one. None without public addresses.
pub fn https_host<'a>(public_hosts: &'a [String], requested: Option<&str>) -> Option<&'a str> {
    let host = |address: &str| address.parse::<Authority>().ok().map(|a| a.host().to_string());
    let requested = requested.and_then(host).map(|h| h.to_ascii_lowercase());
    let named = public_hosts.iter().find(|public| requested.is_some() && host(public) == requested);
    named.or(public_hosts.first()).map(String::as_str)
}

/// Redirects to HTTPS when configured, and adds HSTS to what is served over HTTPS. With no
/// public address to redirect to, plain HTTP is refused.
pub async fn https(State(config): State<Arc<Config>>, request: Request, next: Next) -> Response {
    let secure = forwarded_https(request.headers());
    if config.force_https && !secure && !PLAIN_HTTP_PATHS.contains(&request.uri().path()) {
        let requested = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| request.uri().authority().map(Authority::as_str));
        let Some(host) = https_host(&config.public_hosts, requested) else {
            return Error::Forbidden("Acesse o sistema por HTTPS".into()).into_response();
        };
        let path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        if let Ok(location) = HeaderValue::from_str(&format!("https://{host}{path}")) {
            return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response();
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
    fn https_goes_to_the_public_address_the_host_names_or_else_the_first() {
        let public = ["loja.example.com".to_string(), "www.loja.example.com".to_string(), "h:8443".to_string()];
        assert_eq!(https_host(&public, Some("WWW.loja.example.com:80")), Some("www.loja.example.com"));
        assert_eq!(https_host(&public, Some("h")), Some("h:8443"));
        for other in [Some("evil.example"), Some("loja.example.com.evil.example"), Some("não é host"), None] {
            assert_eq!(https_host(&public, other), Some("loja.example.com"), "{other:?}");
        }
        assert_eq!(https_host(&[], Some("loja.example.com")), None);
    }

    #[test]
    fn the_first_forwarded_proto_decides() {
        assert!(forwarded_https(&headers(&[("x-forwarded-proto", "https")])));
        assert!(forwarded_https(&headers(&[("x-forwarded-proto", "HTTPS, http")])));
        assert!(!forwarded_https(&headers(&[("x-forwarded-proto", "http")])));
        assert!(!forwarded_https(&headers(&[])));
    }
}
