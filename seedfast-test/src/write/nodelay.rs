//! TCP_NODELAY on the process's TCP sockets. sqlx leaves Nagle's algorithm
//! on, and a COPY ends with a small CopyDone written right after the last
//! data chunk: Nagle holds it until the server acknowledges the chunk, and
//! the server delays that ACK (~40 ms on Linux), so every table's COPY paid
//! ~44 ms over TCP (a 41-table chain: ~2 s) and nothing over a Unix socket.
//! sqlx does not expose its socket, so the sockets are found through
//! `/proc/self/fd`; the option only changes when small writes leave, which
//! is harmless for any other TCP socket of the process.

/// Sets TCP_NODELAY on every TCP socket of this process; returns how many
/// it changed. Where `/proc` is not mounted it does nothing.
pub fn tcp_nodelay_everywhere() -> usize {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else { return 0 };
    let mut changed = 0;
    for entry in entries.flatten() {
        let Some(fd) = entry.file_name().to_str().and_then(|s| s.parse::<libc::c_int>().ok()) else { continue };
        let is_socket = std::fs::read_link(entry.path()).is_ok_and(|p| p.to_string_lossy().starts_with("socket:"));
        if is_socket && is_tcp(fd) && !option(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY).unwrap_or(true) {
            let one: libc::c_int = 1;
            // SAFETY: `fd` is an open socket of this process (just listed),
            // and the option value is a valid c_int for its whole size.
            let rc = unsafe { libc::setsockopt(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY, (&one as *const libc::c_int).cast(), std::mem::size_of::<libc::c_int>() as libc::socklen_t) };
            changed += (rc == 0) as usize;
        }
    }
    changed
}

fn is_tcp(fd: libc::c_int) -> bool {
    let domain = option_value(fd, libc::SOL_SOCKET, libc::SO_DOMAIN);
    let kind = option_value(fd, libc::SOL_SOCKET, libc::SO_TYPE);
    matches!(domain, Some(libc::AF_INET | libc::AF_INET6)) && kind == Some(libc::SOCK_STREAM)
}

fn option(fd: libc::c_int, level: libc::c_int, name: libc::c_int) -> Option<bool> {
    option_value(fd, level, name).map(|v| v != 0)
}

fn option_value(fd: libc::c_int, level: libc::c_int, name: libc::c_int) -> Option<libc::c_int> {
    let mut value: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `value` and `len` are valid for writes of a c_int and its size;
    // a closed or non-socket fd makes getsockopt fail, which we report as None.
    let rc = unsafe { libc::getsockopt(fd, level, name, (&mut value as *mut libc::c_int).cast(), &mut len) };
    (rc == 0).then_some(value)
}

#[cfg(test)]
mod should {
    use super::*;

    #[test]
    fn turn_nagle_off_on_a_tcp_socket() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        assert!(!client.nodelay().unwrap());
        assert!(tcp_nodelay_everywhere() >= 1);
        assert!(client.nodelay().unwrap());
    }
}
