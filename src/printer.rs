//! Receipt printers: the rows of a receipt ([`crate::domain::receipt::layout`]) as ESC/POS bytes,
//! and those bytes sent to a network printer (raw TCP, port 9100, as thermal printers take them).
//!
//! Text is sent in code page 860 (Portuguese), which has every letter Portuguese writes; a
//! character it lacks prints as its letter without the accent, or as `?`, one column either way.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use oem_cp::code_table::ENCODING_TABLE_CP860;
use oem_cp::encode_char_checked;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::timeout;
use unicode_normalization::UnicodeNormalization;

use crate::domain::receipt::{Align, ReceiptRow};

const ESC: u8 = 0x1b;
const GS: u8 = 0x1d;
const LF: u8 = b'\n';

/// ESC @: back to the power-on settings.
const INIT: [u8; 2] = [ESC, b'@'];
/// ESC R 0: the USA character set, in which 0x24 is `$` (some sets print another sign there).
const CHARACTER_SET_USA: [u8; 3] = [ESC, b'R', 0];
/// ESC t 3: code page PC860 (Portuguese).
const CODE_PAGE_PC860: [u8; 3] = [ESC, b't', 3];
/// ESC M 0: font A, 48 columns on 80 mm paper, 32 on 58 mm.
const FONT_A: [u8; 3] = [ESC, b'M', 0];
/// ESC d 3: print and feed three lines, so the last row clears the cutter.
const FEED_BEFORE_CUT: [u8; 3] = [ESC, b'd', 3];
/// GS V 66 0: feed to the cutter and cut, leaving a point uncut.
const PARTIAL_CUT: [u8; 4] = [GS, b'V', 66, 0];
/// ESC p 0 25 250: a pulse on pin 2 of the drawer connector, 50 ms on and 500 ms off.
const OPEN_DRAWER: [u8; 5] = [ESC, b'p', 0, 25, 250];

/// The printer's port when an address names none.
pub const DEFAULT_PORT: u16 = 9100;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// The bytes that print `rows`, feed, cut the paper and, when `open_drawer`, open the cash
/// drawer.
pub fn escpos(rows: &[ReceiptRow], open_drawer: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * rows.len() + 32);
    for command in [&INIT[..], &CHARACTER_SET_USA, &CODE_PAGE_PC860, &FONT_A] {
        out.extend_from_slice(command);
    }
    for row in rows {
        match row {
            ReceiptRow::Text { text, align, bold, double } => {
                style(&mut out, *align, *bold, *double);
                out.extend(text.chars().map(cp860));
            }
            ReceiptRow::Separator { width } => {
                style(&mut out, Align::Left, false, false);
                out.extend(std::iter::repeat_n(b'-', *width));
            }
        }
        out.push(LF);
    }
    style(&mut out, Align::Left, false, false);
    out.extend_from_slice(&FEED_BEFORE_CUT);
    out.extend_from_slice(&PARTIAL_CUT);
    if open_drawer {
        out.extend_from_slice(&OPEN_DRAWER);
    }
    out
}

/// ESC a n (alignment), ESC E n (bold), GS ! n (size), at the start of a row.
fn style(out: &mut Vec<u8>, align: Align, bold: bool, double: bool) {
    let align = match align {
        Align::Left => 0,
        Align::Center => 1,
        Align::Right => 2,
    };
    let size = if double { 0x11 } else { 0x00 };
    out.extend_from_slice(&[ESC, b'a', align, ESC, b'E', u8::from(bold), GS, b'!', size]);
}

/// One character as one byte of code page 860: itself, its letter without the accent (ë as e),
/// or `?`. Control characters are `?` too, so that no text can slip a command to the printer.
fn cp860(c: char) -> u8 {
    let base = c.nfd().next().unwrap_or(c);
    [c, base]
        .into_iter()
        .filter(|c| !c.is_control())
        .find_map(|c| encode_char_checked(c, &ENCODING_TABLE_CP860))
        .unwrap_or(b'?')
}

#[derive(Debug, thiserror::Error)]
pub enum PrinterError {
    #[error("Endereço da impressora inválido: use host ou host:porta (por exemplo 192.168.0.50:9100)")]
    InvalidAddress,
    /// Refused, unreachable, or a name that does not resolve.
    #[error("Impressora não encontrada em {address}")]
    NotFound {
        address: String,
        #[source]
        source: io::Error,
    },
    /// No connection within the connect timeout, or the bytes not taken within the write timeout.
    #[error("Impressora não respondeu em {address}")]
    NoAnswer { address: String },
    #[error("A conexão com a impressora em {address} caiu durante a impressão")]
    ConnectionLost {
        address: String,
        #[source]
        source: io::Error,
    },
}

/// Sends `bytes` to the printer at `address` (`host` or `host:port`, port 9100 by default):
/// connects within 3 seconds, writes everything within 5, and closes the connection.
pub async fn send(address: &str, bytes: &[u8]) -> Result<(), PrinterError> {
    send_within(address, bytes, CONNECT_TIMEOUT, WRITE_TIMEOUT).await
}

async fn send_within(address: &str, bytes: &[u8], connect: Duration, write: Duration) -> Result<(), PrinterError> {
    let address = parse_address(address)?;
    let mut stream = match timeout(connect, TcpStream::connect(&address)).await {
        Err(_) => return Err(PrinterError::NoAnswer { address }),
        Ok(Err(source)) => return Err(PrinterError::NotFound { address, source }),
        Ok(Ok(stream)) => stream,
    };
    let written = timeout(write, async {
        stream.write_all(bytes).await?;
        stream.flush().await?;
        stream.shutdown().await
    })
    .await;
    match written {
        Err(_) => Err(PrinterError::NoAnswer { address }),
        Ok(Err(source)) => Err(PrinterError::ConnectionLost { address, source }),
        Ok(Ok(())) => Ok(()),
    }
}

/// A printer's address as `host:port`, from `host` or `host:port` (port 1 to 65535, 9100 when
/// absent). The host is a name (`impressora.local`), an IPv4 address or an IPv6 address (in
/// brackets when a port follows: `[fe80::1]:9100`).
pub fn parse_address(text: &str) -> Result<String, PrinterError> {
    let text = text.trim();
    if text.parse::<Ipv6Addr>().is_ok() {
        return Ok(format!("[{text}]:{DEFAULT_PORT}"));
    }
    let (host, port) = match text.strip_prefix('[') {
        Some(rest) => {
            let (host, rest) = rest.split_once(']').ok_or(PrinterError::InvalidAddress)?;
            host.parse::<Ipv6Addr>().map_err(|_| PrinterError::InvalidAddress)?;
            let port = match rest {
                "" => None,
                _ => Some(rest.strip_prefix(':').ok_or(PrinterError::InvalidAddress)?),
            };
            (format!("[{host}]"), port)
        }
        None => {
            let (host, port) = match text.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (text, None),
            };
            if !is_host(host) {
                return Err(PrinterError::InvalidAddress);
            }
            (host.to_string(), port)
        }
    };
    let port = match port {
        None => DEFAULT_PORT,
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            port.parse::<u16>().ok().filter(|port| *port > 0).ok_or(PrinterError::InvalidAddress)?
        }
        Some(_) => return Err(PrinterError::InvalidAddress),
    };
    Ok(format!("{host}:{port}"))
}

/// A host name (labels of letters, digits and inner hyphens, joined by dots) or an IPv4 address.
fn is_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    if labels.iter().all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit())) {
        return host.parse::<Ipv4Addr>().is_ok();
    }
    host.len() <= 253
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Money;
    use crate::domain::receipt::{Receipt, ReceiptLine, ReceiptPayment, layout};
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    fn receipt() -> Receipt {
        let price = Money::from_cents(450);
        Receipt {
            shop_name: "Mercado São João".into(),
            sale_number: 7,
            when: "01/12/2026 14:05".into(),
            seller: "Conceição".into(),
            lines: vec![ReceiptLine {
                name: "Pão de Açúcar Promoção".into(),
                quantity: 1,
                unit_price: price,
                discount: Money::ZERO,
                total: price,
            }],
            subtotal: price,
            total: price,
            payments: vec![ReceiptPayment { label: "Cartão de débito".into(), amount: price }],
            ..Receipt::default()
        }
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|window| window == needle)
    }

    #[test]
    fn portuguese_letters_are_their_code_page_860_bytes() {
        let expected = [
            ('ã', 0x84),
            ('ç', 0x87),
            ('õ', 0x94),
            ('Ç', 0x80),
            ('á', 0xa0),
            ('é', 0x82),
            ('ê', 0x88),
            ('í', 0xa1),
            ('ó', 0xa2),
            ('ô', 0x93),
            ('ú', 0xa3),
            ('à', 0x85),
            ('â', 0x83),
            ('ü', 0x81),
            ('Á', 0x86),
            ('À', 0x91),
            ('Â', 0x8f),
            ('Ã', 0x8e),
            ('É', 0x90),
            ('Ê', 0x89),
            ('Í', 0x8b),
            ('Ó', 0x9f),
            ('Ô', 0x8c),
            ('Õ', 0x99),
            ('Ú', 0x96),
            ('Ü', 0x9a),
            ('º', 0xa7),
            ('ª', 0xa6),
        ];
        for (c, byte) in expected {
            assert_eq!(cp860(c), byte, "{c}");
        }
        assert_eq!(cp860('A'), b'A');
        assert_eq!(cp860('$'), b'$');
    }

    #[test]
    fn what_code_page_860_lacks_prints_without_its_accent_or_as_a_question_mark() {
        assert_eq!(cp860('ë'), b'e');
        assert_eq!(cp860('ő'), b'o');
        assert_eq!(cp860('€'), b'?');
        assert_eq!(cp860('日'), b'?');
        for control in ['\u{1b}', '\u{1d}', '\n', '\0', '\u{7f}', '\u{9b}'] {
            assert_eq!(cp860(control), b'?', "{control:?}");
        }
    }

    #[test]
    fn a_receipt_becomes_commands_and_code_page_860_text() {
        let rows = layout(&receipt(), 48);
        let bytes = escpos(&rows, false);
        assert!(bytes.starts_with(&[ESC, b'@']));
        assert!(contains(&bytes, &[ESC, b't', 3]));
        assert!(contains(&bytes, b"P\x84o de A\x87\xa3car Promo\x87\x84o"));
        assert!(contains(&bytes, b"Cart\x84o de d\x82bito"));
        assert!(contains(&bytes, b"N\x8eO \x90 DOCUMENTO FISCAL"));
        assert!(contains(&bytes, &[ESC, b'a', 1, ESC, b'E', 1, GS, b'!', 0, b'M']), "the shop, centered and bold");
        assert!(contains(&bytes, &[ESC, b'E', 1, GS, b'!', 0x11, b'T', b'O', b'T', b'A', b'L']), "the total");
        assert!(bytes.ends_with(&[ESC, b'd', 3, GS, b'V', 66, 0]));
        assert!(!contains(&bytes, &[ESC, b'p']));
        assert_eq!(bytes.iter().filter(|b| **b == LF).count(), rows.len());
    }

    #[test]
    fn the_drawer_opens_only_when_asked() {
        let rows = layout(&receipt(), 32);
        let with_drawer = escpos(&rows, true);
        assert!(with_drawer.ends_with(&[GS, b'V', 66, 0, ESC, b'p', 0, 25, 250]));
        assert_eq!(with_drawer[..with_drawer.len() - 5], escpos(&rows, false));
    }

    #[test]
    fn each_character_of_a_row_is_one_byte() {
        let row =
            ReceiptRow::Text {
                text: "Pão 日本 €1 ë\u{1b}".into(), align: Align::Left, bold: false, double: false
            };
        let bytes = escpos(std::slice::from_ref(&row), false);
        let start = INIT.len() + CHARACTER_SET_USA.len() + CODE_PAGE_PC860.len() + FONT_A.len() + 9;
        let expected = b"P\x84o ?? ?1 e?\n";
        assert_eq!(&bytes[start..start + expected.len()], expected);
    }

    #[tokio::test]
    async fn sends_the_receipt_to_a_printer() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let printer = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut received = Vec::new();
            socket.read_to_end(&mut received).await.unwrap();
            received
        });
        let bytes = escpos(&layout(&receipt(), 48), true);
        send(&address, &bytes).await.unwrap();
        let received = printer.await.unwrap();
        assert_eq!(received, bytes);
        assert!(received.starts_with(&[ESC, b'@']));
        assert!(contains(&received, &[ESC, b't', 3]));
        assert!(contains(&received, b"P\x84o de A\x87\xa3car Promo\x87\x84o"));
        assert!(contains(&received, &[GS, b'V', 66, 0]));
        assert!(contains(&received, &[ESC, b'p', 0, 25, 250]));
    }

    #[tokio::test]
    async fn a_printer_that_is_not_there_is_not_found_at_once() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        drop(listener);
        let sent = tokio::time::timeout(Duration::from_secs(10), send(&address, b"x")).await.expect("no hang");
        let error = sent.unwrap_err();
        assert!(matches!(error, PrinterError::NotFound { .. }), "{error:?}");
        assert_eq!(error.to_string(), format!("Impressora não encontrada em {address}"));
    }

    #[tokio::test]
    async fn a_printer_that_takes_nothing_has_not_answered() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let bytes = vec![b'x'; 64 << 20];
        let wait = Duration::from_millis(300);
        let error = send_within(&address, &bytes, wait, wait).await.unwrap_err();
        assert!(matches!(error, PrinterError::NoAnswer { .. }), "{error:?}");
        assert_eq!(error.to_string(), format!("Impressora não respondeu em {address}"));
        drop(listener);
    }

    #[tokio::test]
    async fn an_invalid_address_is_refused_before_connecting() {
        let error = send("impressora:0", b"x").await.unwrap_err();
        assert!(matches!(error, PrinterError::InvalidAddress));
        assert!(error.to_string().starts_with("Endereço da impressora inválido"));
    }

    #[test]
    fn addresses_are_a_host_and_a_port() {
        let ok = [
            ("192.168.0.50", "192.168.0.50:9100"),
            ("192.168.0.50:9100", "192.168.0.50:9100"),
            (" 10.0.0.7:515 ", "10.0.0.7:515"),
            ("impressora", "impressora:9100"),
            ("caixa-1.loja.local:65535", "caixa-1.loja.local:65535"),
            ("localhost:1", "localhost:1"),
            ("::1", "[::1]:9100"),
            ("[fe80::1]", "[fe80::1]:9100"),
            ("[fe80::1]:9101", "[fe80::1]:9101"),
        ];
        for (text, address) in ok {
            assert_eq!(parse_address(text).unwrap(), address, "{text}");
        }
        let refused = [
            "",
            " ",
            ":9100",
            "impressora:",
            "impressora:0",
            "impressora:65536",
            "impressora:+80",
            "impressora:80a",
            "impressora:9100:1",
            "192.168.0.300",
            "192.168.0",
            "impressora..local",
            "-impressora",
            "impressora_1",
            "impressão",
            "http://impressora",
            "[fe80::1",
            "[fe80::1]9100",
            "[impressora]:9100",
            "a b",
        ];
        for text in refused {
            assert!(matches!(parse_address(text), Err(PrinterError::InvalidAddress)), "{text:?}");
        }
    }
}
