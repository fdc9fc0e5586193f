//! Connections that send nothing, or never finish a request, are closed: a request head must
//! arrive within `HEADER_TIMEOUT`, an idle keep-alive connection lasts `KEEP_ALIVE_TIMEOUT`,
//! and past `MAX_CONNECTIONS` the oldest idle connections make room, so that a client with a
//! real request is answered at once however many silent ones keep coming.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::helpers::*;

const HALF_A_HEAD: &[u8] = b"GET /api/info HTTP/1.1\r\nHost: loja\r\n";
const A_REQUEST: &[u8] = b"GET /api/info HTTP/1.1\r\nHost: loja\r\n\r\n";

fn address(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_string()
}

/// True once the server has closed the connection (what it sent before is read and dropped).
fn closed_by_server(stream: &TcpStream) -> bool {
    let mut buffer = [0; 4096];
    loop {
        match stream.try_read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}

/// Waits up to `limit` for every connection to be closed; the time it took.
async fn all_closed_within(connections: &[TcpStream], limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let open = connections.iter().filter(|c| !closed_by_server(c)).count();
        if open == 0 {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "{open} de {} conexões ainda abertas após {limit:?}", connections.len());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sends a whole request and reads its whole answer, leaving the connection open (keep-alive).
async fn answered(stream: &mut TcpStream) {
    stream.write_all(A_REQUEST).await.unwrap();
    let response = read_response(stream).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response:?}");
}

#[tokio::test]
async fn silent_and_half_sent_connections_are_closed_once_the_header_timeout_passes() {
    let app = spawn_app_with(&[("HEADER_TIMEOUT", "1")]).await;
    let mut connections = Vec::new();
    for n in 0..40 {
        let mut stream = TcpStream::connect(address(&app)).await.unwrap();
        if n % 2 == 1 {
            stream.write_all(HALF_A_HEAD).await.unwrap();
        }
        connections.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(connections.iter().all(|c| !closed_by_server(c)), "closed before the timeout");
    let took = all_closed_within(&connections, Duration::from_secs(5)).await;
    eprintln!("40 conexões caladas ou pela metade fechadas em {:?}", took + Duration::from_millis(300));
}

#[tokio::test]
async fn an_idle_keep_alive_connection_lasts_the_keep_alive_timeout_and_a_late_request_head_the_header_timeout() {
    let app = spawn_app_with(&[("HEADER_TIMEOUT", "1"), ("KEEP_ALIVE_TIMEOUT", "3")]).await;
    let mut idle = TcpStream::connect(address(&app)).await.unwrap();
    let mut slow = TcpStream::connect(address(&app)).await.unwrap();
    answered(&mut idle).await;
    answered(&mut slow).await;
    slow.write_all(HALF_A_HEAD).await.unwrap();
    let started = Instant::now();
    let took = all_closed_within(std::slice::from_ref(&slow), Duration::from_secs(5)).await;
    assert!(took >= Duration::from_millis(800), "the second head had its header timeout: {took:?}");
    tokio::time::sleep(Duration::from_millis(1800).saturating_sub(started.elapsed())).await;
    assert!(!closed_by_server(&idle), "an idle connection lasts the keep-alive timeout, longer than the header one");
    answered(&mut idle).await;
    let idle_since = Instant::now();
    let took = all_closed_within(std::slice::from_ref(&idle), Duration::from_secs(6)).await;
    assert!(took >= Duration::from_millis(2500), "closed after {:?} idle", idle_since.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_is_answered_at_once_while_more_silent_connections_than_the_cap_keep_coming() {
    const CAP: usize = 200;
    const SILENT: usize = 1500;
    let app = spawn_app_with(&[("MAX_CONNECTIONS", &CAP.to_string()), ("HEADER_TIMEOUT", "10")]).await;
    let target = address(&app);
    let flood = tokio::spawn(async move {
        let mut silent = Vec::new();
        for n in 0..SILENT {
            let mut stream = TcpStream::connect(&target).await.unwrap();
            if n % 2 == 1 {
                stream.write_all(HALF_A_HEAD).await.unwrap();
            }
            silent.push(stream);
        }
        silent
    });
    // One new connection per request, as a new client's.
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let mut slowest = Duration::ZERO;
    for _ in 0..20 {
        let started = Instant::now();
        let response = client.get(app.url("/api/info")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.bytes().await.unwrap();
        slowest = slowest.max(started.elapsed());
    }
    let silent = flood.await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let open = silent.iter().filter(|c| !closed_by_server(c)).count();
    eprintln!("{SILENT} conexões caladas, limite {CAP}: {open} abertas; requisição mais lenta: {slowest:?}");
    assert!(open <= CAP, "{open} silent connections held open, more than the cap of {CAP}");
    assert!(slowest < Duration::from_millis(500), "a request waited {slowest:?}");
}
