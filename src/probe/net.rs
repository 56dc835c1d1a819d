//! Our own sockets: DNS + TCP connect and a rustls handshake, timed. Used for the pre-flight
//! connection of an HTTP probe (reqwest does not expose its connect/TLS timings) and for the
//! WebSocket handshake, which needs the raw connection anyway.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, ring};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use rustls_platform_verifier::BuilderVerifierExt;

/// Make ring the process-wide rustls provider (reqwest is built with `rustls-no-provider`).
pub fn install_provider() {
    // Err only means a provider is already installed, which is fine.
    let _ = ring::default_provider().install_default();
}

/// A rustls client config: the OS trust store, or no verification with `--insecure`.
pub fn client_config(insecure: bool) -> Result<Arc<ClientConfig>, String> {
    let provider = Arc::new(ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?;
    let config = if insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
            .with_no_client_auth()
    } else {
        builder
            .with_platform_verifier()
            .map_err(|e| format!("TLS setup: {e}"))?
            .with_no_client_auth()
    };
    Ok(Arc::new(config))
}

/// `--insecure`: accept any certificate (signatures are still checked for well-formedness).
#[derive(Debug)]
struct NoVerify(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A plain or TLS connection.
pub enum Conn {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Conn {
    pub fn tcp(&self) -> &TcpStream {
        match self {
            Conn::Plain(s) => s,
            Conn::Tls(s) => &s.sock,
        }
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

/// Timings of one connection set-up, in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConnectTimes {
    pub dns_ms: f64,
    /// DNS + TCP connect.
    pub connect_ms: f64,
    pub tls_ms: Option<f64>,
}

fn elapsed_ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Resolve `host:port`, connect (first address that answers), and do the TLS handshake when
/// `tls` is set. Every step is bounded by `timeout`.
pub fn connect(
    host: &str,
    port: u16,
    tls: Option<&Arc<ClientConfig>>,
    timeout: Duration,
) -> Result<(Conn, ConnectTimes), String> {
    let start = Instant::now();
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("DNS lookup of {host} failed: {e}"))?
        .collect();
    let dns_ms = elapsed_ms(start);
    let mut last_err = format!("DNS lookup of {host} returned no address");
    let mut stream = None;
    for a in &addrs {
        match TcpStream::connect_timeout(a, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last_err = format!("connect to {a} failed: {e}"),
        }
    }
    let stream = stream.ok_or(last_err)?;
    let connect_ms = elapsed_ms(start);
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .and_then(|()| stream.set_nodelay(true))
        .map_err(|e| format!("socket setup: {e}"))?;
    let mut times = ConnectTimes {
        dns_ms,
        connect_ms,
        tls_ms: None,
    };
    let Some(config) = tls else {
        return Ok((Conn::Plain(stream), times));
    };
    let tls_start = Instant::now();
    let name = ServerName::try_from(
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned(),
    )
    .map_err(|e| format!("TLS server name {host}: {e}"))?;
    let conn = ClientConnection::new(config.clone(), name)
        .map_err(|e| format!("TLS setup for {host}: {e}"))?;
    let mut tls_stream = StreamOwned::new(conn, stream);
    while tls_stream.conn.is_handshaking() {
        tls_stream
            .conn
            .complete_io(&mut tls_stream.sock)
            .map_err(|e| format!("TLS handshake with {host} failed: {e}"))?;
    }
    times.tls_ms = Some(elapsed_ms(tls_start));
    Ok((Conn::Tls(Box::new(tls_stream)), times))
}
