//! A small SMTP server for tests, on 127.0.0.1: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
//! It keeps what it accepted and refuses the recipients it is told to (550 on RCPT). It serves
//! a bounded number of connections and each read times out, so it always ends.
#![allow(dead_code, reason = "not every test binary sends mail")]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One message the server accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The value of a header of the message, unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(current) = &mut value {
                if line.starts_with(' ') || line.starts_with('\t') {
                    current.push_str(line.trim_start());
                    continue;
                }
                break;
            }
            if let Some((key, rest)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                value = Some(rest.trim().to_owned());
            }
        }
        value
    }
}

pub struct TestSmtp {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl TestSmtp {
    /// Starts a server that accepts every recipient except `refused`, for at most
    /// `connections` connections.
    pub fn start(refused: &[&str], connections: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let refused: Vec<String> = refused.iter().map(|r| r.to_lowercase()).collect();
        let store = Arc::clone(&received);
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let handle = std::thread::Builder::new()
            .name("test-smtp".into())
            .spawn(move || {
                for stream in listener.incoming().take(connections) {
                    if stopped.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { break };
                    let _ = serve(stream, &refused, &store);
                }
            })
            .expect("spawn");
        Self {
            addr,
            received,
            stop,
            handle: Some(handle),
        }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// A port on which nothing listens (a server that is down).
    pub fn closed_port() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        drop(listener);
        port
    }
}

impl Drop for TestSmtp {
    fn drop(&mut self) {
        // Wake a server still waiting for a connection, then let its thread end.
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

fn address(arg: &str) -> String {
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg[start..].find('>').map_or(arg.len(), |i| start + i);
    arg[start..end].trim().to_lowercase()
}

fn serve(
    stream: TcpStream,
    refused: &[String],
    received: &Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    writer.write_all(b"220 localhost ESMTP test server\r\n")?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_uppercase();
        if upper.starts_with("EHLO") {
            writer.write_all(b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?;
        } else if upper.starts_with("HELO") {
            writer.write_all(b"250 localhost\r\n")?;
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&command[10..]);
            to.clear();
            writer.write_all(b"250 2.1.0 Ok\r\n")?;
        } else if upper.starts_with("RCPT TO:") {
            let rcpt = address(&command[8..]);
            if refused.contains(&rcpt) {
                writer.write_all(
                    format!("550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown\r\n")
                        .as_bytes(),
                )?;
            } else {
                to.push(rcpt);
                writer.write_all(b"250 2.1.5 Ok\r\n")?;
            }
        } else if upper == "DATA" {
            if to.is_empty() {
                writer.write_all(b"554 5.5.1 No valid recipients\r\n")?;
                continue;
            }
            writer.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                let text = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(text);
            }
            let queued = {
                let mut all = received.lock().map_err(|_| std::io::Error::other("lock"))?;
                all.push(Received {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data,
                });
                all.len()
            };
            writer.write_all(format!("250 2.0.0 Ok: queued as Q{queued}\r\n").as_bytes())?;
        } else if upper == "RSET" {
            to.clear();
            writer.write_all(b"250 2.0.0 Ok\r\n")?;
        } else if upper == "NOOP" {
            writer.write_all(b"250 2.0.0 Ok\r\n")?;
        } else if upper == "QUIT" {
            writer.write_all(b"221 2.0.0 Bye\r\n")?;
            return Ok(());
        } else {
            writer.write_all(b"502 5.5.2 Command not recognized\r\n")?;
        }
    }
}
