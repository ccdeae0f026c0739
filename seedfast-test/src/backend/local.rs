//! The `local` backend: a throwaway PostgreSQL cluster in a temp dir, owned by this process.
//!
//! No server process and no temp dir may outlive the process that started them, however that
//! process ends. The layers, from the common case to the worst:
//!
//! Clusters are created where [`super::cluster_dir`] says: on tmpfs when there is one, since
//! creating files is most of what a cluster and its databases cost.
//!
//! 1. Dropping a [`LocalServer`] stops the postmaster and removes its directory.
//! 2. Every live cluster is in a process-wide registry, and an `atexit` hook stops and removes
//!    whatever is still in it. That covers the per-process shared server, which lives in a
//!    static and so is never dropped, and owned servers still alive at exit. The test harness
//!    leaves through `exit()` (also when a test panicked), which runs `atexit` hooks.
//! 3. If the process dies without running them (SIGKILL, a fatal signal), the kernel kills the
//!    postmaster through `PR_SET_PDEATHSIG`; its own children follow their postmaster. See
//!    [`spawner`] for why the processes are forked from one dedicated thread.
//! 4. What case 3 leaves behind (the directory, with the dynamic shared memory segments inside
//!    it, and a SysV shared memory segment) is swept by the
//!    next start, in any process: directories are named `seedfast-pg-<pid>-<n>`, and one whose
//!    `<pid>` is no longer alive is stale. The sweep looks in every place a cluster may have
//!    been created ([`super::cluster_dir::places`]), not only the one chosen now.
//!
//! The postmaster is a `std::process::Child`, and nothing here runs on a tokio runtime: the
//! shared server is used by many tests, each on its own runtime that ends with the test, so
//! nothing of the server may belong to the runtime of whichever test happened to start it.

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use once_cell::sync::OnceCell;

use super::error::BackendError;

/// Environment variable naming the directory that holds `initdb` and `postgres`.
pub const BINDIR_ENV: &str = "SEEDFAST_PG_BINDIR";

const DIR_PREFIX: &str = "seedfast-pg-";
/// The unprivileged account the server runs as when we are root.
const SERVER_ACCOUNT: &str = "postgres";
/// The cluster's superuser; with trust auth it has no password.
const SUPERUSER: &str = "postgres";
const START_TIMEOUT: Duration = Duration::from_secs(30);
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
const PORT_ATTEMPTS: usize = 5;
const LOG_TAIL_LINES: usize = 30;

/// How to start a [`LocalServer`]. Construct with `..Default::default()`.
#[derive(Debug, Clone, Default)]
pub struct LocalOptions {
    /// Directory holding `initdb` and `postgres`. Overrides `SEEDFAST_PG_BINDIR` and the search.
    pub bindir: Option<PathBuf>,
    /// Where the cluster directory is created (stale ones are swept there and in the default
    /// places). Defaults to [`cluster_parent`](super::cluster_parent): `SEEDFAST_CLUSTER_DIR`,
    /// else `TMPDIR` when set, else `/dev/shm` when it is a usable tmpfs, else the temp dir.
    pub temp_dir: Option<PathBuf>,
}

/// A PostgreSQL server running on 127.0.0.1 from a fresh cluster in a temp dir.
///
/// It uses trust authentication: it listens on loopback only, and without a password there is
/// nothing to leak. Dropping it stops the server and removes the directory.
pub struct LocalServer {
    cluster: ClusterHandle,
    bindir: PathBuf,
    port: u16,
    pid: u32,
}

static SHARED: OnceCell<Result<Arc<LocalServer>, BackendError>> = OnceCell::new();

impl LocalServer {
    /// Starts a server of its own, removed when it is dropped.
    pub async fn start() -> Result<LocalServer, BackendError> {
        Self::start_with(LocalOptions::default()).await
    }

    /// Like [`start`](Self::start), with explicit options.
    pub async fn start_with(options: LocalOptions) -> Result<LocalServer, BackendError> {
        run_blocking(move || Self::start_blocking(options)).await?
    }

    /// Blocking form of [`start_with`](Self::start_with), for code outside a runtime.
    pub fn start_blocking(options: LocalOptions) -> Result<LocalServer, BackendError> {
        let bindir = find_bindir(options.bindir.as_deref())?;
        let account = server_account()?;
        let parent = options.temp_dir.unwrap_or_else(super::cluster_parent);
        for place in super::cluster_dir::places(&parent) {
            sweep_stale_clusters(&place);
        }
        let cluster = ClusterHandle::create(&parent, account)?;
        run_initdb(&bindir, &cluster, account)?;
        let (port, pid) = start_postmaster(&bindir, &cluster, account, false)?;
        Ok(LocalServer {
            cluster,
            bindir,
            port,
            pid,
        })
    }

    /// The per-process shared server, started by the first caller.
    ///
    /// The start runs on a blocking thread under the cell's lock, so callers on any number of
    /// runtimes wait for the one start. A failure is kept and returned to every later caller,
    /// so a broken installation fails each test at once instead of re-running initdb each time.
    pub(crate) async fn shared() -> Result<Arc<LocalServer>, BackendError> {
        if let Some(result) = SHARED.get() {
            return result.clone();
        }
        run_blocking(|| {
            SHARED
                .get_or_init(|| Self::start_blocking(LocalOptions::default()).map(Arc::new))
                .clone()
        })
        .await?
    }

    /// TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Process id of the postmaster.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The temp dir that holds everything of this server (data dir, socket, log).
    pub fn dir(&self) -> &Path {
        &self.cluster.root
    }

    /// The cluster's data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.cluster.data_dir()
    }

    /// The server's log file.
    pub fn log_path(&self) -> PathBuf {
        self.cluster.log_path()
    }

    /// Where `initdb` and `postgres` were taken from.
    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// URL of `database` on this server, as the superuser. It holds no password.
    pub fn url_for(&self, database: &str) -> String {
        // sslmode=disable: the server has no TLS, and a PGSSLMODE=require in the environment
        // would otherwise make every connection fail.
        let base = format!(
            "postgres://{SUPERUSER}@127.0.0.1:{}/postgres?sslmode=disable",
            self.port
        );
        super::url::with_database(&base, database)
    }

    /// Keeps the cluster's files when the process ends (the server itself
    /// stops with the process). Returns the commands that start it again and
    /// connect to `database`; nothing in them is secret (trust auth).
    pub fn keep(&self, database: &str) -> String {
        self.cluster.kept.store(true, Ordering::Relaxed);
        let _ = fs::write(self.cluster.root.join(KEEP_MARKER), "kept for debugging; remove this directory when done\n");
        let data = self.cluster.data_dir();
        // Spelt out in full: `runuser` is in /usr/sbin, which a shell with a
        // short PATH (cron, `env -i`, some CI images) does not search.
        let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"].into_iter().find(|p| Path::new(p).exists()).unwrap_or("runuser");
        let as_user = if unsafe { libc::geteuid() } == 0 { format!("{runuser} -u {SERVER_ACCOUNT} -- ") } else { String::new() };
        format!(
            "{as_user}{pg_ctl} -D {data} -o '-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root}' -l {root}/restart.log start && psql '{url}'   # remove {root} when done",
            pg_ctl = self.bindir.join("pg_ctl").display(),
            data = data.display(),
            port = self.port,
            root = self.cluster.root.display(),
            url = self.url_for(database),
        )
    }
}

impl fmt::Debug for LocalServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalServer")
            .field("port", &self.port)
            .field("pid", &self.pid)
            .field("dir", &self.cluster.root)
            .field("bindir", &self.bindir)
            .finish()
    }
}

async fn run_blocking<T, F>(f: F) -> Result<T, BackendError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(value) => Ok(value),
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        Err(err) => Err(BackendError::io(
            "start the postgres server (the tokio runtime is shutting down)",
            io::Error::other(err),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Finding the binaries

fn find_bindir(explicit: Option<&Path>) -> Result<PathBuf, BackendError> {
    // An explicit choice is never second-guessed: falling back would hide the misconfiguration.
    if let Some(dir) = explicit {
        return checked_bindir(dir).ok_or_else(|| BackendError::BinariesNotFound {
            searched: vec![format!(
                "{} (given in LocalOptions::bindir): {}",
                dir.display(),
                missing_binaries(dir)
            )],
        });
    }
    let mut searched = Vec::new();

    match std::env::var_os(BINDIR_ENV) {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            return checked_bindir(&dir).ok_or_else(|| BackendError::BinariesNotFound {
                searched: vec![format!(
                    "{BINDIR_ENV}={}: {}",
                    dir.display(),
                    missing_binaries(&dir)
                )],
            });
        }
        _ => searched.push(format!("{BINDIR_ENV}: not set")),
    }

    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        if let Some(found) = checked_bindir(&dir) {
            return Ok(found);
        }
    }
    searched.push(format!(
        "PATH ({}): no directory holds both initdb and postgres",
        path.to_string_lossy()
    ));

    match Command::new("pg_config")
        .arg("--bindir")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    {
        Ok(out) if out.status.success() => {
            let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            if let Some(found) = checked_bindir(&dir) {
                return Ok(found);
            }
            searched.push(format!(
                "pg_config --bindir ({}): {}",
                dir.display(),
                missing_binaries(&dir)
            ));
        }
        Ok(out) => searched.push(format!("pg_config --bindir: failed ({})", out.status)),
        Err(err) => searched.push(format!(
            "pg_config --bindir: could not run pg_config ({err})"
        )),
    }

    let versions_root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir(versions_root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let key = name
                .to_str()?
                .split('.')
                .map(|part| part.parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            Some((key, entry.path().join("bin")))
        })
        .collect();
    versions.sort();
    if let Some(found) = versions
        .iter()
        .rev()
        .find_map(|(_, dir)| checked_bindir(dir))
    {
        return Ok(found);
    }
    searched.push(format!(
        "{}/*/bin: {}",
        versions_root.display(),
        if versions.is_empty() {
            "no versions installed"
        } else {
            "no version holds both initdb and postgres"
        }
    ));

    Err(BackendError::BinariesNotFound { searched })
}

/// `dir` if it holds both binaries; preferring the directory they really live in, so that
/// messages and logs name the installation rather than a directory of symlinks.
fn checked_bindir(dir: &Path) -> Option<PathBuf> {
    if !(is_executable(&dir.join("initdb")) && is_executable(&dir.join("postgres"))) {
        return None;
    }
    let real = fs::canonicalize(dir.join("initdb"))
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .filter(|real| is_executable(&real.join("postgres")));
    Some(real.unwrap_or_else(|| dir.to_path_buf()))
}

fn missing_binaries(dir: &Path) -> String {
    let missing: Vec<&str> = ["initdb", "postgres"]
        .into_iter()
        .filter(|name| !is_executable(&dir.join(name)))
        .collect();
    format!("no executable {} there", missing.join(" or "))
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

// ---------------------------------------------------------------------------------------------
// Running as root

#[derive(Debug, Clone, Copy)]
struct Account {
    uid: libc::uid_t,
    gid: libc::gid_t,
}

/// The account to run initdb and postgres as: `None` (ourselves) unless we are root, which
/// both of them refuse.
fn server_account() -> Result<Option<Account>, BackendError> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    match lookup_account(SERVER_ACCOUNT) {
        Ok(Some(account)) if account.uid != 0 => Ok(Some(account)),
        Ok(_) => Err(BackendError::NoServerAccount {
            account: SERVER_ACCOUNT.to_owned(),
        }),
        Err(err) => Err(BackendError::io(
            format!("look up the `{SERVER_ACCOUNT}` account to run the server as"),
            err,
        )),
    }
}

/// getpwnam_r rather than getpwnam (not thread-safe) or parsing /etc/passwd (misses NSS).
fn lookup_account(name: &str) -> io::Result<Option<Account>> {
    let name = std::ffi::CString::new(name).map_err(io::Error::other)?;
    let mut buf: Vec<libc::c_char> = vec![0; 1024];
    loop {
        // SAFETY: passwd is plain old data; getpwnam_r fills it, pointing into `buf`, which
        // outlives every use of it below.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = unsafe {
            libc::getpwnam_r(
                name.as_ptr(),
                &mut pwd,
                buf.as_mut_ptr(),
                buf.len(),
                &mut result,
            )
        };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if rc != 0 {
            return Err(io::Error::from_raw_os_error(rc));
        }
        if result.is_null() {
            return Ok(None);
        }
        return Ok(Some(Account {
            uid: pwd.pw_uid,
            gid: pwd.pw_gid,
        }));
    }
}

// ---------------------------------------------------------------------------------------------
// The cluster directory and its registry

struct Cluster {
    root: PathBuf,
    /// Set by [`LocalServer::keep`]: stop the server at exit but leave its
    /// files, so a failing test's data can be inspected afterwards.
    kept: std::sync::atomic::AtomicBool,
    /// The postmaster, once started. The lock is held for the whole of a shutdown, so that a
    /// second caller (Drop racing the exit hook) returns only once the server is gone.
    child: Mutex<Option<Child>>,
}

impl Cluster {
    fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    fn log_path(&self) -> PathBuf {
        self.root.join("postgres.log")
    }

    fn child(&self) -> MutexGuard<'_, Option<Child>> {
        lock(&self.child)
    }

    fn shutdown(&self) {
        let mut child = self.child();
        if let Some(mut postmaster) = child.take() {
            stop_postmaster(&mut postmaster, &self.data_dir());
        }
        if self.kept.load(Ordering::Relaxed) {
            return;
        }
        match fs::remove_dir_all(&self.root) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => eprintln!(
                "seedfast: warning: could not remove the postgres temp dir {}: {err}",
                self.root.display()
            ),
        }
    }
}

/// Live clusters, for the exit hook.
static REGISTRY: Mutex<Vec<Arc<Cluster>>> = Mutex::new(Vec::new());
static EXIT_HOOK: Once = Once::new();
static NEXT_DIR: AtomicU32 = AtomicU32::new(0);

/// Owns a registered cluster: dropping it shuts the cluster down and unregisters it.
struct ClusterHandle(Arc<Cluster>);

impl std::ops::Deref for ClusterHandle {
    type Target = Cluster;
    fn deref(&self) -> &Cluster {
        &self.0
    }
}

impl ClusterHandle {
    /// Creates `<parent>/seedfast-pg-<pid>-<n>`, registered from the start so that even a
    /// half-started cluster is cleaned up at exit.
    fn create(parent: &Path, account: Option<Account>) -> Result<ClusterHandle, BackendError> {
        let pid = std::process::id();
        let root = loop {
            let n = NEXT_DIR.fetch_add(1, Ordering::Relaxed);
            let candidate = parent.join(format!("{DIR_PREFIX}{pid}-{n}"));
            match fs::create_dir(&candidate) {
                Ok(()) => break candidate,
                // Left by an earlier, dead process that had our pid: the sweep spares names
                // with our own pid, so just take the next number.
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(err) => {
                    return Err(BackendError::io(
                        format!("create the postgres temp dir {}", candidate.display()),
                        err,
                    ));
                }
            }
        };

        EXIT_HOOK.call_once(|| {
            // SAFETY: registers a plain extern "C" fn; it cannot unwind (see the hook).
            unsafe { libc::atexit(shut_down_all_at_exit) };
        });
        let cluster = Arc::new(Cluster {
            root,
            kept: std::sync::atomic::AtomicBool::new(false),
            child: Mutex::new(None),
        });
        lock(&REGISTRY).push(Arc::clone(&cluster));
        let handle = ClusterHandle(cluster);

        if let Some(account) = account {
            std::os::unix::fs::chown(&handle.root, Some(account.uid), Some(account.gid)).map_err(
                |err| {
                    BackendError::io(
                        format!(
                            "hand the postgres temp dir {} to the `{SERVER_ACCOUNT}` account",
                            handle.root.display()
                        ),
                        err,
                    )
                },
            )?;
        }
        Ok(handle)
    }
}

impl Drop for ClusterHandle {
    fn drop(&mut self) {
        lock(&REGISTRY).retain(|c| !Arc::ptr_eq(c, &self.0));
        self.0.shutdown();
    }
}

extern "C" fn shut_down_all_at_exit() {
    // Unwinding out of an extern "C" fn aborts the process; a failed clean-up must not turn
    // an orderly exit into a crash.
    let _ = std::panic::catch_unwind(|| {
        let clusters = std::mem::take(&mut *lock(&REGISTRY));
        for cluster in clusters {
            cluster.shutdown();
        }
    });
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Everything under these locks stays consistent across a panic, and cleanup must go on.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------------------------
// initdb and the postmaster

fn run_initdb(
    bindir: &Path,
    cluster: &Cluster,
    account: Option<Account>,
) -> Result<(), BackendError> {
    let initdb = bindir.join("initdb");
    let data_dir = cluster.data_dir();
    let mut command = Command::new(&initdb);
    command
        .arg("-D")
        .arg(&data_dir)
        .args(["--auth=trust", "-U", SUPERUSER])
        .args(["--encoding=UTF8", "--locale=C", "--no-sync"])
        .current_dir(&cluster.root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = spawner::spawn(command, account)
        .and_then(Child::wait_with_output)
        .map_err(|err| BackendError::io(format!("run {}", initdb.display()), err))?;
    if !output.status.success() {
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        return Err(BackendError::Initdb {
            bindir: bindir.to_path_buf(),
            data_dir,
            status: describe_status(output.status),
            output: last_lines(&text, LOG_TAIL_LINES),
        });
    }
    Ok(())
}

/// Starts the postmaster on a free port and waits until it is ready; returns (port, pid).
fn start_postmaster(
    bindir: &Path,
    cluster: &Cluster,
    account: Option<Account>,
    detached: bool,
) -> Result<(u16, u32), BackendError> {
    let postgres = bindir.join("postgres");
    let data_dir = cluster.data_dir();
    let log_path = cluster.log_path();
    let has_status_line = reports_status(&data_dir);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let port = free_port()?;
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|err| {
                BackendError::io(format!("open the server log {}", log_path.display()), err)
            })?;
        let log_start = log.metadata().map_or(0, |m| m.len());
        let log_copy = log
            .try_clone()
            .map_err(|err| BackendError::io("duplicate the server log handle", err))?;

        let mut command = Command::new(&postgres);
        command
            .arg("-D")
            .arg(&data_dir)
            .arg("-p")
            .arg(port.to_string());
        for setting in [
            "listen_addresses=127.0.0.1".to_owned(),
            format!("unix_socket_directories={}", cluster.root.display()),
            // A throwaway cluster: durability buys nothing and costs a lot.
            "fsync=off".to_owned(),
            "synchronous_commit=off".to_owned(),
            "full_page_writes=off".to_owned(),
            "max_connections=200".to_owned(),
            "shared_buffers=128MB".to_owned(),
            // Dynamic shared memory as files in the cluster dir (`pg_dynshmem/`), not
            // `/dev/shm/PostgreSQL.*`, which nothing reaps after a SIGKILL: the sweep
            // removes the dir, and with it the segments.
            "dynamic_shared_memory_type=mmap".to_owned(),
        ] {
            command.arg("-c").arg(setting);
        }
        command
            .current_dir(&cluster.root)
            .stdin(Stdio::null())
            .stdout(log_copy)
            .stderr(log);
        let child = spawner::spawn_with(command, account, detached)
            .map_err(|err| BackendError::io(format!("run {}", postgres.display()), err))?;
        let pid = child.id();
        *cluster.child() = Some(child);

        match wait_until_ready(cluster, port, has_status_line) {
            Ok(()) => return Ok((port, pid)),
            // The port was free when we picked it, but someone may have taken it since.
            Err(err @ BackendError::ServerExited { .. }) => {
                if attempt < PORT_ATTEMPTS && port_was_taken(&log_path, log_start) {
                    continue;
                }
                return Err(err);
            }
            Err(err) => return Err(err),
        }
    }
}

fn free_port() -> Result<u16, BackendError> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|err| BackendError::io("find a free TCP port on 127.0.0.1", err))
}

fn wait_until_ready(
    cluster: &Cluster,
    port: u16,
    has_status_line: bool,
) -> Result<(), BackendError> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        let exited = {
            let mut child = cluster.child();
            match child.as_mut().map(Child::try_wait) {
                Some(Ok(Some(status))) => {
                    child.take();
                    Some(status)
                }
                Some(Err(err)) => {
                    return Err(BackendError::io("check on the postgres process", err));
                }
                _ => None,
            }
        };
        if let Some(status) = exited {
            return Err(BackendError::ServerExited {
                data_dir: cluster.data_dir(),
                status: describe_status(status),
                log_tail: log_tail(&cluster.log_path()),
            });
        }
        if is_ready(&cluster.data_dir(), port, has_status_line) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(BackendError::StartTimeout {
                data_dir: cluster.data_dir(),
                port,
                timeout: START_TIMEOUT,
                log_tail: log_tail(&cluster.log_path()),
            });
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Whether the server writes its state into postmaster.pid (PostgreSQL 10 and later).
fn reports_status(data_dir: &Path) -> bool {
    fs::read_to_string(data_dir.join("PG_VERSION"))
        .ok()
        .and_then(|v| v.trim().split('.').next()?.parse::<u32>().ok())
        .is_none_or(|major| major >= 10)
}

/// Readiness as `pg_ctl -w` sees it: the postmaster writes "ready" into postmaster.pid once it
/// accepts connections. That needs no connection attempt, so no runtime and no log noise.
/// A TCP probe would say yes too early: the socket listens before recovery is done.
fn is_ready(data_dir: &Path, port: u16, has_status_line: bool) -> bool {
    let Ok(text) = fs::read_to_string(data_dir.join("postmaster.pid")) else {
        return false;
    };
    match text.lines().nth(7) {
        Some(status) => status.trim() == "ready",
        None if !has_status_line && text.lines().count() >= 7 => TcpStream::connect_timeout(
            &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            Duration::from_millis(200),
        )
        .is_ok(),
        None => false,
    }
}

fn port_was_taken(log_path: &Path, from: u64) -> bool {
    let mut text = String::new();
    let read = fs::File::open(log_path).and_then(|mut file| {
        file.seek(SeekFrom::Start(from))?;
        file.read_to_string(&mut text)
    });
    read.is_ok() && (text.contains("could not bind") || text.contains("already in use"))
}

fn log_tail(path: &Path) -> String {
    match fs::read(path) {
        Ok(bytes) => last_lines(&String::from_utf8_lossy(&bytes), LOG_TAIL_LINES),
        Err(err) => format!("(could not read {}: {err})", path.display()),
    }
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn describe_status(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => status.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Stopping and sweeping

fn stop_postmaster(child: &mut Child, data_dir: &Path) {
    let pid = child.id();
    if matches!(child.try_wait(), Ok(None)) {
        // Immediate shutdown: the cluster is about to be deleted, so nothing needs writing.
        send_signal(pid, libc::SIGQUIT);
        if wait_timeout(child, STOP_TIMEOUT).is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
    // Only a postmaster that did not exit cleanly leaves its segment (and postmaster.pid).
    release_shared_memory(data_dir, pid);
}

fn wait_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
            _ => return None,
        }
    }
}

fn send_signal(pid: u32, signal: libc::c_int) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(pid, signal) };
    }
}

/// Removes the leftovers of clusters whose owning process is gone (SIGKILLed runs).
fn sweep_stale_clusters(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(owner) = name.to_str().and_then(owner_pid) else {
            continue;
        };
        if owner == me || process_alive(owner) || entry.path().join(KEEP_MARKER).exists() {
            continue;
        }
        let root = entry.path();
        let data_dir = root.join("data");
        if let Some(postmaster) = recorded_postmaster(&data_dir) {
            if process_alive(postmaster) && is_postmaster_of(postmaster, &data_dir) {
                send_signal(postmaster, libc::SIGKILL);
                let deadline = Instant::now() + Duration::from_secs(5);
                while process_alive(postmaster) && Instant::now() < deadline {
                    thread::sleep(Duration::from_millis(20));
                }
            }
            release_shared_memory(&data_dir, postmaster);
        }
        // Races with other processes sweeping the same dir are harmless.
        let _ = fs::remove_dir_all(&root);
    }
}

/// A file in a cluster dir that a kept cluster leaves, so sweeps spare it.
const KEEP_MARKER: &str = "KEPT-BY-SEEDFAST";

/// The `<pid>` of a `seedfast-pg-<pid>-<n>` directory name.
fn owner_pid(name: &str) -> Option<u32> {
    let (pid, n) = name.strip_prefix(DIR_PREFIX)?.split_once('-')?;
    n.parse::<u32>().ok()?;
    pid.parse().ok()
}

fn recorded_postmaster(data_dir: &Path) -> Option<u32> {
    fs::read_to_string(data_dir.join("postmaster.pid"))
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

/// Whether `pid` runs (a zombie counts as dead: it is only waiting to be reaped).
fn process_alive(pid: u32) -> bool {
    let Ok(raw) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if raw <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence and permission.
    let exists = unsafe { libc::kill(raw, 0) } == 0
        || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
    exists && !is_zombie(pid)
}

#[cfg(target_os = "linux")]
fn is_zombie(pid: u32) -> bool {
    // The state follows the command name, which is in parentheses and may contain anything.
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_some_and(|state| matches!(state, 'Z' | 'X'))
    })
}

#[cfg(not(target_os = "linux"))]
fn is_zombie(_pid: u32) -> bool {
    false
}

/// Guards against pid reuse: only a process started on exactly this data dir is killed.
#[cfg(target_os = "linux")]
fn is_postmaster_of(pid: u32, data_dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmdline| {
        cmdline
            .split(|b| *b == 0)
            .any(|arg| arg == data_dir.as_os_str().as_bytes())
    })
}

#[cfg(not(target_os = "linux"))]
fn is_postmaster_of(_pid: u32, _data_dir: &Path) -> bool {
    false
}

/// Marks for removal the SysV segment of a postmaster that died without cleaning up (it is
/// destroyed when the last of its backends detaches). postmaster.pid records its id.
#[cfg(target_os = "linux")]
fn release_shared_memory(data_dir: &Path, postmaster: u32) {
    let Ok(text) = fs::read_to_string(data_dir.join("postmaster.pid")) else {
        return;
    };
    let Some(shmid) = text
        .lines()
        .nth(6)
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|id| id.parse::<libc::c_int>().ok())
    else {
        return;
    };
    // SAFETY: shmid_ds is plain old data, filled in by IPC_STAT.
    let mut info: libc::shmid_ds = unsafe { std::mem::zeroed() };
    if unsafe { libc::shmctl(shmid, libc::IPC_STAT, &mut info) } != 0 {
        return;
    }
    // Segment ids are recycled: only remove the one this postmaster created.
    if u32::try_from(info.shm_cpid).ok() == Some(postmaster) {
        // SAFETY: IPC_RMID takes no buffer.
        unsafe { libc::shmctl(shmid, libc::IPC_RMID, std::ptr::null_mut()) };
    }
}

#[cfg(not(target_os = "linux"))]
fn release_shared_memory(_data_dir: &Path, _postmaster: u32) {}

// ---------------------------------------------------------------------------------------------
// Servers that outlive their process (shared across test processes)

/// A server started to outlive this process, for `harness::share`: nothing in this process
/// stops it (no exit hook, no `PR_SET_PDEATHSIG`); whoever records it stops it with
/// [`stop_detached`].
#[derive(Debug, Clone)]
pub(crate) struct Detached {
    pub port: u16,
    pub pid: u32,
    pub bindir: PathBuf,
}

/// Creates a cluster in `root` (which must not exist yet) and starts its postmaster in a
/// session of its own. On failure nothing is left running and `root` is removed.
pub(crate) fn start_detached(root: &Path) -> Result<Detached, BackendError> {
    let bindir = find_bindir(None)?;
    let account = server_account()?;
    fs::create_dir(root).map_err(|err| BackendError::io(format!("create the shared postgres dir {}", root.display()), err))?;
    let cluster = Cluster { root: root.to_path_buf(), kept: std::sync::atomic::AtomicBool::new(false), child: Mutex::new(None) };
    let started = (|| {
        if let Some(account) = account {
            std::os::unix::fs::chown(root, Some(account.uid), Some(account.gid)).map_err(|err| {
                BackendError::io(format!("hand the shared postgres dir {} to the `{SERVER_ACCOUNT}` account", root.display()), err)
            })?;
        }
        run_initdb(&bindir, &cluster, account)?;
        start_postmaster(&bindir, &cluster, account, true)
    })();
    match started {
        Ok((port, pid)) => {
            // Not waited for: the server lives on after this process.
            drop(cluster.child().take());
            Ok(Detached { port, pid, bindir })
        }
        Err(err) => {
            cluster.shutdown();
            Err(err)
        }
    }
}

/// Whether the detached postmaster `pid` of `data_dir` runs and accepts connections on
/// `port` (pid reuse is ruled out by its command line).
pub(crate) fn detached_answers(pid: u32, port: u16, data_dir: &Path) -> bool {
    process_alive(pid)
        && is_postmaster_of(pid, data_dir)
        && is_ready(data_dir, port, reports_status(data_dir))
        && TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), Duration::from_secs(1)).is_ok()
}

/// Whether `pid` is the postmaster of `data_dir` and alive.
pub(crate) fn detached_alive(pid: u32, data_dir: &Path) -> bool {
    process_alive(pid) && is_postmaster_of(pid, data_dir)
}

/// Stops the detached postmaster `pid` of `data_dir` (fast shutdown, which releases its
/// shared memory; SIGKILL if it does not stop within the timeout) and marks any segment it
/// left for removal. The data dir itself is the caller's to remove.
pub(crate) fn stop_detached(pid: u32, data_dir: &Path) {
    if detached_alive(pid, data_dir) {
        send_signal(pid, libc::SIGINT);
        let deadline = Instant::now() + STOP_TIMEOUT;
        while process_alive(pid) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
        }
        if process_alive(pid) {
            send_signal(pid, libc::SIGKILL);
            let deadline = Instant::now() + Duration::from_secs(5);
            while process_alive(pid) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(20));
            }
        }
    }
    release_shared_memory(data_dir, pid);
}

/// Whether `pid` runs (zombies count as dead).
pub(crate) fn pid_alive(pid: u32) -> bool {
    process_alive(pid)
}

// ---------------------------------------------------------------------------------------------

mod spawner {
    //! Forks every server process from one dedicated thread that never exits.
    //!
    //! `PR_SET_PDEATHSIG` fires when the *thread* that forked the child exits, not the process.
    //! Test threads and tokio's blocking threads come and go, so a postmaster forked from one of
    //! them would be killed as soon as that thread ended, in the middle of other tests. This
    //! thread instead lives until the process dies (its channel's sender is in a static, so its
    //! loop never ends), which is exactly when the postmaster should die too. Only the fork
    //! happens here: waiting for and signalling a child work from any thread.

    use std::io;
    use std::process::{Child, Command};
    use std::sync::mpsc;
    use std::thread;

    use once_cell::sync::OnceCell;

    use super::Account;

    struct Request {
        command: Command,
        reply: mpsc::Sender<io::Result<Child>>,
    }

    static SPAWNER: OnceCell<mpsc::Sender<Request>> = OnceCell::new();

    pub(super) fn spawn(command: Command, account: Option<Account>) -> io::Result<Child> {
        spawn_with(command, account, false)
    }

    /// `detached`: the child outlives this process, in a session of its own
    /// (no terminal's Ctrl-C reaches it) and without `PR_SET_PDEATHSIG`:
    /// a server shared across test processes (see `harness::share`).
    pub(super) fn spawn_with(mut command: Command, account: Option<Account>, detached: bool) -> io::Result<Child> {
        prepare(&mut command, account, detached);
        let spawner = SPAWNER.get_or_try_init(|| {
            let (requests, incoming) = mpsc::channel::<Request>();
            thread::Builder::new()
                .name("seedfast-pg-spawner".into())
                .spawn(move || {
                    for mut request in incoming {
                        let _ = request.reply.send(request.command.spawn());
                    }
                })?;
            Ok::<_, io::Error>(requests)
        })?;
        let gone = || io::Error::other("the seedfast postgres spawner thread is gone");
        let (reply, response) = mpsc::channel();
        spawner
            .send(Request { command, reply })
            .map_err(|_| gone())?;
        response.recv().map_err(|_| gone())?
    }

    fn prepare(command: &mut Command, account: Option<Account>, detached: bool) {
        #[cfg(target_os = "linux")]
        let parent = std::process::id();
        let hook = move || -> io::Result<()> {
            // We are in the forked child of a multi-threaded process: async-signal-safe calls
            // only, no allocation.
            if let Some(account) = account {
                // Dropped here rather than with CommandExt::uid/gid to be sure of the order:
                // changing credentials clears PDEATHSIG, so it must be set afterwards.
                // SAFETY: plain syscalls on this (child) process.
                let failed = unsafe {
                    libc::setgroups(0, std::ptr::null()) != 0
                        || libc::setgid(account.gid) != 0
                        || libc::setuid(account.uid) != 0
                };
                if failed {
                    return Err(io::Error::last_os_error());
                }
            }
            if detached {
                // SAFETY: a plain syscall on this (child) process.
                if unsafe { libc::setsid() } < 0 {
                    return Err(io::Error::last_os_error());
                }
                return Ok(());
            }
            #[cfg(target_os = "linux")]
            {
                // SAFETY: plain syscalls on this (child) process.
                if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } != 0 {
                    return Err(io::Error::last_os_error());
                }
                // Had the parent died before prctl, no signal would ever come.
                if u32::try_from(unsafe { libc::getppid() }).ok() != Some(parent) {
                    return Err(io::Error::from_raw_os_error(libc::ESRCH));
                }
            }
            Ok(())
        };
        // SAFETY: the hook only makes async-signal-safe syscalls and does not allocate.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(command, hook);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_dir_names_yield_their_owner() {
        assert_eq!(owner_pid("seedfast-pg-1234-0"), Some(1234));
        assert_eq!(owner_pid("seedfast-pg-1234-x"), None);
        assert_eq!(owner_pid("seedfast-pg-1234"), None);
        assert_eq!(owner_pid("seedfast-backend-test-1234-x"), None);
    }

    #[test]
    fn unknown_accounts_are_none() {
        assert!(
            lookup_account("seedfast-no-such-account")
                .unwrap()
                .is_none()
        );
        assert!(lookup_account("root").unwrap().is_some_and(|a| a.uid == 0));
    }

    #[test]
    fn this_process_is_alive_and_pid_zero_is_not() {
        assert!(process_alive(std::process::id()));
        assert!(!process_alive(0));
        assert!(!process_alive(u32::MAX));
    }

    #[test]
    fn log_tails_keep_the_last_lines() {
        assert_eq!(last_lines("a\nb\nc\n", 2), "b\nc");
        assert_eq!(last_lines("a", 5), "a");
    }
}
