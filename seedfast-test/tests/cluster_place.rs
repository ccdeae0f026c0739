//! Where local clusters go: `/dev/shm` when it is a usable tmpfs, else the
//! temp dir; `SEEDFAST_CLUSTER_DIR` over `TMPDIR` over both; and the sweep
//! that reaps what a SIGKILLed run left in any of those places, not only in
//! the one chosen now. Each case runs this binary again as a child on
//! `child_cluster`, with the placement variables set or removed.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use seedfast_test::backend::{CLUSTER_DIR_ENV, LocalOptions, LocalServer, MIN_TMPFS_FREE};
use support::{CHILD_ENV, field, is_child};

// ---- the child ------------------------------------------------------------

/// Starts a cluster with the default options and prints its directory and
/// postmaster; with `SEEDFAST_TEST_HANG` set it then waits to be killed.
#[test]
#[ignore = "run by the parent tests of this file"]
fn child_cluster() {
    let server = LocalServer::start_blocking(LocalOptions::default()).expect("start a local server");
    println!("@dir={}", server.dir().display());
    println!("@pid={}", server.pid());
    if std::env::var_os("SEEDFAST_TEST_HANG").is_some() {
        println!("@hang=1");
        loop {
            std::thread::sleep(Duration::from_secs(60));
        }
    }
}

// ---- helpers ----------------------------------------------------------------

/// `child_cluster` with `TMPDIR` and `SEEDFAST_CLUSTER_DIR` as given (`None`:
/// removed), nothing else of the parent's placement inherited.
fn command(tmpdir: Option<&Path>, cluster_dir: Option<&Path>) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "child_cluster", "--ignored", "--nocapture", "--test-threads", "1"]).env(CHILD_ENV, "1");
    match tmpdir {
        Some(dir) => cmd.env("TMPDIR", dir),
        None => cmd.env_remove("TMPDIR"),
    };
    match cluster_dir {
        Some(dir) => cmd.env(CLUSTER_DIR_ENV, dir),
        None => cmd.env_remove(CLUSTER_DIR_ENV),
    };
    cmd
}

fn run(tmpdir: Option<&Path>, cluster_dir: Option<&Path>) -> Output {
    let out = command(tmpdir, cluster_dir).output().expect("run the child");
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    out
}

fn dir_of(out: &Output) -> PathBuf {
    PathBuf::from(field(out, "dir").expect("the child printed its cluster dir"))
}

/// A child killed with SIGKILL once its cluster runs: (cluster dir, postmaster pid).
fn killed(tmpdir: Option<&Path>, cluster_dir: Option<&Path>) -> (PathBuf, u32) {
    let mut child = command(tmpdir, cluster_dir).env("SEEDFAST_TEST_HANG", "1").stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let (printed, _) = support::printed_until(&mut child, "@hang=");
    child.kill().unwrap();
    child.wait().unwrap();
    let value = |key: &str| printed.lines().find_map(|l| l.split_once(&format!("@{key}=")).map(|(_, v)| v.to_string()));
    let (dir, pid) = (value("dir"), value("pid"));
    let (Some(dir), Some(pid)) = (dir, pid) else { panic!("the child ended before its cluster ran:\n{printed}") };
    let pid: u32 = pid.parse().unwrap();
    // PR_SET_PDEATHSIG takes the postmaster down with its process.
    wait_for("the postmaster died with its process", || !alive(pid));
    (PathBuf::from(dir), pid)
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| s.rsplit_once(')').and_then(|(_, r)| r.trim_start().chars().next()).is_some_and(|c| c != 'Z' && c != 'X'))
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "{what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SysV shared memory segments created by `pid`.
fn segments_of(pid: u32) -> Vec<String> {
    let Ok(table) = std::fs::read_to_string("/proc/sysvipc/shm") else { return Vec::new() };
    let cpid = table.lines().next().unwrap().split_whitespace().position(|c| c == "cpid").unwrap();
    table.lines().skip(1).filter(|l| l.split_whitespace().nth(cpid) == Some(&pid.to_string())).map(str::to_string).collect()
}

/// Whether `/dev/shm` should be chosen here, judged with coreutils rather
/// than the code under test: a tmpfs with enough room.
fn tmpfs_here() -> bool {
    let out = |args: &[&str]| Command::new(args[0]).args(&args[1..]).output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    let kind = out(&["stat", "-f", "-c", "%T", "/dev/shm"]);
    let free: u64 = out(&["df", "--output=avail", "-B1", "/dev/shm"]).lines().last().and_then(|l| l.trim().parse().ok()).unwrap_or(0);
    kind == "tmpfs" && free >= MIN_TMPFS_FREE
}

/// A directory of this test's own, removed when dropped; world-traversable,
/// since as root the server runs as `postgres` and must reach its files.
struct TestDir(PathBuf);

impl TestDir {
    fn new(label: &str) -> TestDir {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!("seedfast-place-test-{}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        TestDir(path)
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---- parents --------------------------------------------------------------

#[test]
fn a_cluster_goes_to_tmpfs_when_the_machine_has_one() {
    if is_child() {
        return;
    }
    let out = run(None, None);
    let dir = dir_of(&out);
    let expected = if tmpfs_here() { PathBuf::from("/dev/shm") } else { PathBuf::from("/tmp") };
    assert_eq!(dir.parent(), Some(expected.as_path()), "{}", dir.display());
    assert!(!dir.exists(), "{} removed at exit", dir.display());
}

#[test]
fn seedfast_cluster_dir_wins_over_tmpdir_and_tmpdir_over_tmpfs() {
    if is_child() {
        return;
    }
    let (chosen, tmp) = (TestDir::new("chosen"), TestDir::new("tmpdir"));
    let dir = dir_of(&run(Some(&tmp.0), Some(&chosen.0)));
    assert_eq!(dir.parent(), Some(chosen.0.as_path()), "SEEDFAST_CLUSTER_DIR is obeyed: {}", dir.display());
    let dir = dir_of(&run(Some(&tmp.0), None));
    assert_eq!(dir.parent(), Some(tmp.0.as_path()), "a TMPDIR the user set is obeyed: {}", dir.display());
    assert!(std::fs::read_dir(&chosen.0).unwrap().next().is_none() && std::fs::read_dir(&tmp.0).unwrap().next().is_none(), "both clusters removed at exit");
}

#[test]
fn a_killed_runs_cluster_is_reaped_by_a_run_that_chose_another_place() {
    if is_child() {
        return;
    }
    // The dead run put its cluster in TMPDIR; the next one chooses
    // SEEDFAST_CLUSTER_DIR, and still sweeps TMPDIR. Both are this test's
    // own, so no other test's sweep gets there first.
    let (old, new) = (TestDir::new("old"), TestDir::new("new"));
    let (left, postmaster) = killed(Some(&old.0), None);
    assert_eq!(left.parent(), Some(old.0.as_path()));
    assert!(left.join("data").exists(), "SIGKILL left {} behind", left.display());
    let dynshm = left.join("data/pg_dynshmem");
    let next = dir_of(&run(Some(&old.0), Some(&new.0)));
    assert_eq!(next.parent(), Some(new.0.as_path()));
    assert!(!left.exists(), "the next run swept {}", left.display());
    assert!(!dynshm.exists());
    assert!(segments_of(postmaster).is_empty(), "the dead postmaster's segment was released: {:?}", segments_of(postmaster));
}

#[test]
fn a_killed_runs_cluster_on_tmpfs_is_reaped() {
    if is_child() {
        return;
    }
    if !tmpfs_here() {
        eprintln!("skipped: /dev/shm is not a tmpfs with room for clusters");
        return;
    }
    let elsewhere = TestDir::new("elsewhere");
    let (left, postmaster) = killed(None, None);
    assert_eq!(left.parent(), Some(Path::new("/dev/shm")), "{}", left.display());
    // Another process starting a cluster may sweep it first (tests run in
    // parallel); either way a sweep, not luck, removes it.
    let next = dir_of(&run(None, Some(&elsewhere.0)));
    assert_eq!(next.parent(), Some(elsewhere.0.as_path()));
    assert!(!left.exists(), "the next run swept {}", left.display());
    assert!(segments_of(postmaster).is_empty(), "{:?}", segments_of(postmaster));
}
