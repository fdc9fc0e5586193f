//! Serving HTTP/1.1 connections with limits a client cannot outlast, and stopping without
//! cutting off a request.
//!
//! - A request's head must arrive within `HEADER_TIMEOUT`, counted from the connection's opening
//!   or from the first byte of a further request; an idle keep-alive connection is closed after
//!   `KEEP_ALIVE_TIMEOUT` (longer than load balancers keep theirs, so they close first).
//! - At most `MAX_CONNECTIONS` are open. When one more arrives, the oldest connection with no
//!   request in flight is closed to make room (as nginx does): silent or half-sent connections,
//!   however many keep coming, cannot keep a real request waiting, nor use up the open files.
//! - On shutdown the connections already waiting to be accepted are taken, and the listener is
//!   closed: new connections are refused. Every request that has begun is answered with
//!   `Connection: close`; an idle connection is kept for [`SHUTDOWN_GRACE`], for a request
//!   already on its way, and then closed.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, Response, header};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;
use tower::{Service, ServiceExt};

/// How long an idle connection is kept once the shutdown began.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// Connections open at once unless `MAX_CONNECTIONS` says otherwise.
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;

/// Open files kept for the rest of the process (database, logs, backups) out of its limit.
const RESERVED_FILES: u64 = 256;

/// Connections the system may hold for the server before it accepts them (the system caps it at
/// `net.core.somaxconn`, 4096 on current Linux): room for a burst while the oldest idle
/// connections are being closed to make room.
const BACKLOG: u32 = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub header_timeout: Duration,
    pub keep_alive_timeout: Duration,
    pub max_connections: usize,
}

/// How many connections the process can hold: `configured`, or [`DEFAULT_MAX_CONNECTIONS`],
/// within what the open-files limit leaves. The soft limit is raised to the hard one first
/// (systemd's default soft limit is 1024).
pub fn connection_cap(configured: Option<usize>) -> usize {
    let files = rlimit::increase_nofile_limit(1 << 20)
        .or_else(|_| rlimit::getrlimit(rlimit::Resource::NOFILE).map(|(soft, _)| soft))
        .unwrap_or(1024);
    let budget = usize::try_from(files.saturating_sub(RESERVED_FILES).max(files / 2)).unwrap_or(usize::MAX);
    let wanted = configured.unwrap_or(DEFAULT_MAX_CONNECTIONS);
    if wanted > budget {
        tracing::warn!(
            max_connections = wanted,
            open_files_limit = files,
            "MAX_CONNECTIONS acima do limite de arquivos abertos do processo: usando {budget}"
        );
    }
    wanted.min(budget).max(1)
}

/// Listens on `address` (`host:port`; port 0 picks a free one) with a [`BACKLOG`] longer than
/// the usual 1024.
pub async fn bind(address: &str) -> io::Result<TcpListener> {
    let mut last_error = io::Error::new(io::ErrorKind::InvalidInput, "endereço sem IP");
    for address in tokio::net::lookup_host(address).await? {
        let socket = if address.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
        socket.set_reuseaddr(true)?;
        match socket.bind(address).and_then(|()| socket.listen(BACKLOG)) {
            Ok(listener) => return Ok(listener),
            Err(error) => last_error = error,
        }
    }
    Err(last_error)
}

/// Serves `app` on `listener` until `shutdown` completes, then as the module says.
pub async fn serve<S>(
    listener: TcpListener,
    app: S,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()>
where
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    let server = Arc::new(Server {
        limits,
        connections: Mutex::default(),
        drain_started: watch::Sender::new(None),
        all_closed: Notify::new(),
    });
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut next_id = 0;
    let mut shutdown = std::pin::pin!(shutdown);
    let mut stopping = false;
    while !stopping {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    server.accept_failed(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => Some(slot),
            Err(_) => tokio::select! {
                slot = server.make_room(&slots) => Some(slot),
                () = &mut shutdown => {
                    stopping = true;
                    None
                }
            },
        };
        next_id += 1;
        server.spawn(next_id, stream, peer, app.clone(), slot);
    }

    // Connections made before the signal, still waiting to be accepted, are served too; then the
    // listener closes, and new connections are refused.
    let listener = listener.into_std()?;
    loop {
        match listener.accept() {
            Ok((stream, peer)) => {
                stream.set_nonblocking(true)?;
                next_id += 1;
                server.spawn(next_id, TcpStream::from_std(stream)?, peer, app.clone(), None);
            }
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
            Err(error) if is_connection_error(&error) => continue,
            Err(error) => {
                tracing::warn!(%error, "erro ao aceitar as últimas conexões");
                break;
            }
        }
    }
    drop(listener);
    server.drain_started.send_replace(Some(Instant::now()));
    server.all_closed().await;
    Ok(())
}

/// What the connections share.
struct Server {
    limits: Limits,
    /// The open connections, oldest first.
    connections: Mutex<BTreeMap<u64, Arc<Connection>>>,
    /// When the shutdown began (None: serving).
    drain_started: watch::Sender<Option<Instant>>,
    all_closed: Notify,
}

impl Server {
    fn spawn<S>(
        self: &Arc<Self>,
        id: u64,
        stream: TcpStream,
        peer: SocketAddr,
        app: S,
        slot: Option<OwnedSemaphorePermit>,
    ) where
        S: Service<Request<Body>, Response = Response<Body>, Error = Infallible> + Clone + Send + 'static,
        S::Future: Send,
    {
        let connection = Arc::new(Connection::new());
        lock(&self.connections).insert(id, connection.clone());
        let server = self.clone();
        tokio::spawn(async move {
            server.run(&connection, stream, peer, app).await;
            let mut connections = lock(&server.connections);
            connections.remove(&id);
            if connections.is_empty() {
                server.all_closed.notify_waiters();
            }
            drop(slot);
        });
    }

    /// Serves one connection until it ends or the limits close it.
    async fn run<S>(&self, connection: &Arc<Connection>, stream: TcpStream, peer: SocketAddr, app: S)
    where
        S: Service<Request<Body>, Response = Response<Body>, Error = Infallible> + Clone + Send + 'static,
        S::Future: Send,
    {
        let io = TokioIo::new(Watched { stream, connection: connection.clone() });
        let service = hyper::service::service_fn({
            let connection = connection.clone();
            let draining = self.drain_started.subscribe();
            move |request: Request<Incoming>| {
                let in_flight = connection.request_started();
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                let (app, connection, draining) = (app.clone(), connection.clone(), draining.clone());
                async move {
                    let Ok(mut response) = app.oneshot(request).await;
                    if draining.borrow().is_some() || lock(&connection.state).evicted {
                        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
                    }
                    // The request is in flight until its answer has been sent (or given up on):
                    // the body owns the guard.
                    Ok::<_, Infallible>(response.map(|body| {
                        Body::new(body.map_frame(move |frame| {
                            let _ = &in_flight;
                            frame
                        }))
                    }))
                }
            }
        });
        let http = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
        let mut http = std::pin::pin!(http);
        let mut drain = self.drain_started.subscribe();
        loop {
            let drain_started = *drain.borrow_and_update();
            let close_at = connection.close_at(&self.limits, drain_started);
            if close_at.is_some_and(|at| at <= Instant::now()) {
                return;
            }
            let deadline = async {
                match close_at {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                served = http.as_mut() => {
                    if let Err(error) = served {
                        tracing::debug!(%error, "conexão encerrada com erro");
                    }
                    return;
                }
                () = connection.changed.notified() => {}
                _ = drain.changed() => {}
                () = deadline => {}
            }
        }
    }

    /// Closes the oldest connections with no request in flight, and waits for a free slot. A
    /// few at a time: under a flood, one each would slow accepting down to the pace of closing.
    async fn make_room(&self, slots: &Arc<Semaphore>) -> OwnedSemaphorePermit {
        let batch = (self.limits.max_connections / 64).max(1);
        loop {
            self.evict_oldest_idle(batch);
            if let Ok(Ok(slot)) = tokio::time::timeout(Duration::from_millis(10), slots.clone().acquire_owned()).await {
                return slot;
            }
        }
    }

    /// Marks up to `count` of the oldest connections with no request in flight to be closed. One
    /// not yet read from may have its request waiting: it is left alone.
    fn evict_oldest_idle(&self, count: usize) {
        let mut left = count;
        for connection in lock(&self.connections).values() {
            let mut state = lock(&connection.state);
            if state.read && state.requests == 0 && !state.evicted {
                state.evicted = true;
                drop(state);
                connection.changed.notify_one();
                left -= 1;
                if left == 0 {
                    return;
                }
            }
        }
    }

    /// An accept that failed: a connection gone before it was taken is skipped; out of open
    /// files, an idle connection is closed and the accept tried again a little later.
    async fn accept_failed(&self, error: io::Error) {
        if is_connection_error(&error) {
            return;
        }
        tracing::warn!(%error, "erro ao aceitar conexão");
        self.evict_oldest_idle(1);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    async fn all_closed(&self) {
        loop {
            let closed = self.all_closed.notified();
            let mut closed = std::pin::pin!(closed);
            closed.as_mut().enable();
            if lock(&self.connections).is_empty() {
                return;
            }
            closed.await;
        }
    }
}

fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// One connection's requests and timings, as the server, its requests and its reads see them.
struct Connection {
    state: Mutex<State>,
    /// Woken when a request starts or ends, a request's first byte arrives, or it is evicted.
    changed: Notify,
}

struct State {
    /// Requests in flight (read and not yet answered to the end).
    requests: usize,
    /// Whether a request has been answered: afterwards an idle connection waits for a further
    /// one for the keep-alive timeout, before it the header timeout.
    served: bool,
    /// Since when no request is in flight (the connection's opening, at first).
    idle_since: Instant,
    /// When the first byte of the next request's head arrived.
    head_since: Option<Instant>,
    /// Whether the connection has been read from (it has had the chance to show a request).
    read: bool,
    /// Chosen to make room: closed as soon as no request is in flight.
    evicted: bool,
}

impl Connection {
    fn new() -> Connection {
        let state = State {
            requests: 0,
            served: false,
            idle_since: Instant::now(),
            head_since: None,
            read: false,
            evicted: false,
        };
        Connection { state: Mutex::new(state), changed: Notify::new() }
    }

    fn request_started(self: &Arc<Self>) -> InFlight {
        let mut state = lock(&self.state);
        state.requests += 1;
        state.served = true;
        state.head_since = None;
        drop(state);
        self.changed.notify_one();
        InFlight(self.clone())
    }

    fn was_read(&self, bytes: bool) {
        let mut state = lock(&self.state);
        state.read = true;
        if bytes && state.requests == 0 && state.head_since.is_none() {
            state.head_since = Some(Instant::now());
            drop(state);
            self.changed.notify_one();
        }
    }

    /// When the connection is to be closed as things stand (None: not while a request is in
    /// flight).
    fn close_at(&self, limits: &Limits, drain_started: Option<Instant>) -> Option<Instant> {
        let state = lock(&self.state);
        if state.requests > 0 {
            return None;
        }
        if state.evicted {
            return Some(Instant::now());
        }
        let (until, head_arriving) = match (state.served, state.head_since) {
            (false, head_since) => (state.idle_since + limits.header_timeout, head_since.is_some()),
            (true, Some(head_since)) => (head_since + limits.header_timeout, true),
            (true, None) => (state.idle_since + limits.keep_alive_timeout, false),
        };
        // A request on its way is waited for, shutdown or not.
        if head_arriving {
            return Some(until);
        }
        Some(drain_started.map_or(until, |started| until.min(started + SHUTDOWN_GRACE)))
    }
}

/// A request in flight, until dropped.
struct InFlight(Arc<Connection>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut state = lock(&self.0.state);
        state.requests -= 1;
        if state.requests == 0 {
            state.idle_since = Instant::now();
        }
        drop(state);
        self.0.changed.notify_one();
    }
}

/// The connection's socket, telling the connection when a request's first bytes arrive.
struct Watched {
    stream: TcpStream,
    connection: Arc<Connection>,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let read = Pin::new(&mut self.stream).poll_read(cx, buf);
        self.connection.was_read(buf.filled().len() > before);
        read
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        header_timeout: Duration::from_secs(10),
        keep_alive_timeout: Duration::from_secs(75),
        max_connections: 100,
    };

    fn connection(edit: impl FnOnce(&mut State)) -> Arc<Connection> {
        let connection = Arc::new(Connection::new());
        edit(&mut lock(&connection.state));
        connection
    }

    #[test]
    fn a_new_connection_has_the_header_timeout_to_send_a_request_however_slowly() {
        let opened = Instant::now();
        let silent = connection(|s| s.idle_since = opened);
        assert_eq!(silent.close_at(&LIMITS, None), Some(opened + LIMITS.header_timeout));
        let slow = connection(|s| (s.idle_since, s.head_since) = (opened, Some(opened + Duration::from_secs(9))));
        assert_eq!(slow.close_at(&LIMITS, None), Some(opened + LIMITS.header_timeout));
    }

    #[test]
    fn after_a_request_an_idle_connection_waits_the_keep_alive_timeout_and_a_new_head_the_header_one() {
        let answered = Instant::now();
        let idle = connection(|s| (s.served, s.idle_since) = (true, answered));
        assert_eq!(idle.close_at(&LIMITS, None), Some(answered + LIMITS.keep_alive_timeout));
        let head = answered + Duration::from_secs(60);
        let arriving = connection(|s| (s.served, s.idle_since, s.head_since) = (true, answered, Some(head)));
        assert_eq!(arriving.close_at(&LIMITS, None), Some(head + LIMITS.header_timeout));
    }

    #[test]
    fn a_request_in_flight_is_never_cut_and_an_evicted_idle_connection_closes_now() {
        let busy = connection(|s| (s.requests, s.evicted) = (1, true));
        assert_eq!(busy.close_at(&LIMITS, Some(Instant::now())), None);
        let evicted = connection(|s| s.evicted = true);
        assert!(evicted.close_at(&LIMITS, None).unwrap() <= Instant::now());
    }

    #[test]
    fn on_shutdown_idle_connections_get_the_grace_and_requests_on_their_way_their_timeout() {
        let answered = Instant::now();
        let draining = Some(answered + Duration::from_secs(1));
        let idle = connection(|s| (s.served, s.idle_since) = (true, answered));
        assert_eq!(idle.close_at(&LIMITS, draining), Some(answered + Duration::from_secs(1) + SHUTDOWN_GRACE));
        let head = answered + Duration::from_millis(500);
        let arriving = connection(|s| (s.served, s.idle_since, s.head_since) = (true, answered, Some(head)));
        assert_eq!(arriving.close_at(&LIMITS, draining), Some(head + LIMITS.header_timeout));
    }

    #[test]
    fn the_oldest_idle_connections_already_read_from_are_evicted_first() {
        let server = Server {
            limits: LIMITS,
            connections: Mutex::default(),
            drain_started: watch::Sender::new(None),
            all_closed: Notify::new(),
        };
        let states = [(true, 0), (true, 1), (false, 0), (true, 0), (true, 0)];
        for (id, (read, requests)) in states.into_iter().enumerate() {
            let connection = connection(|s| (s.read, s.requests) = (read, requests));
            lock(&server.connections).insert(id as u64, connection);
        }
        server.evict_oldest_idle(2);
        let evicted: Vec<bool> = lock(&server.connections).values().map(|c| lock(&c.state).evicted).collect();
        assert_eq!(evicted, [true, false, false, true, false]);
    }
}
