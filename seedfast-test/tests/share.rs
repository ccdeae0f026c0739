//! Sharing across processes (`SEEDFAST_SHARE=1`): one local server per
//! user found again by every process, templates named by the hash of their
//! inputs built once, the watchdog that stops an idle server, `seedfast
//! clean`, and what a SIGKILLed process leaves. Each case runs this binary
//! again as children on `child_share`, each parent with a state dir of its
//! own so that parallel parents never share a server.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use seedfast_test::__private::{Dbs, TestSpec, run};
use support::{CHILD_ENV, State, hang, is_child, printed, text, wait_for};

const ECOMMERCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/ecommerce/seedfast.toml");
const CHECKOUT: &str = "users=50 users;orders=100 orders, 10% with user IDs that don't exist in the user service";

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

// ---- the child ------------------------------------------------------------

/// Takes the databases of `SEEDFAST_TEST_SERVICES` (`name=scope;...`) of
/// `SEEDFAST_TEST_PROJECT` and prints what the handles say, so a parent can
/// compare processes; with `SEEDFAST_TEST_HANG` set it then waits to be killed.
#[test]
#[ignore = "run by the parent tests of this file"]
fn child_share() {
    let project = leak(std::env::var("SEEDFAST_TEST_PROJECT").unwrap_or_else(|_| ECOMMERCE.to_string()));
    let services: Vec<(&'static str, &'static str)> = std::env::var("SEEDFAST_TEST_SERVICES")
        .unwrap_or_else(|_| CHECKOUT.to_string())
        .split(';')
        .map(|pair| pair.split_once('=').map(|(s, scope)| (leak(s.to_string()), leak(scope.to_string()))).expect("name=scope"))
        .collect();
    let spec = TestSpec { test: "share::child_share", project, services: Box::leak(services.clone().into_boxed_slice()), seed: None };
    run(spec, |mut dbs: Dbs| async move {
        println!("@pid={}", std::process::id());
        println!("@server_url={}", seedfast_test::harness::share::server_url().unwrap_or_default());
        println!("@server_dir={}", seedfast_test::harness::share::server_dir().map(|d| d.display().to_string()).unwrap_or_default());
        for (service, _) in &services {
            let db = dbs.take(service);
            println!("@database_{service}={}", db.database());
            let report = db.report();
            println!("@report_{service}={}", report.json().replace('\n', " "));
            for t in &report.tables {
                println!("@keys_{service}_{}={}", t.table, db.ids(&t.table).as_strings().map(|k| k.join(",")).unwrap_or_default());
            }
            println!("@checks_{service}={:?}", db.verified());
            println!("@unverified_{service}={:?}", db.unverified());
            if *service == "orders" {
                println!("@orphans={:?}", db.orphans("orders", "user_id").as_i64().unwrap());
            }
            let tables: Vec<String> = sqlx::query_scalar("SELECT relname::text FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1")
                .fetch_all(db.pool())
                .await
                .unwrap();
            let first = &report.tables[0].table;
            let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {first}"))).fetch_one(db.pool()).await.unwrap();
            println!("@rows_{service}={rows}");
            println!("@tables_{service}={}", tables.join(","));
        }
        if std::env::var_os("SEEDFAST_TEST_HANG").is_some() {
            println!("@hang=1");
            std::future::pending::<()>().await;
        }
    });
}

// ---- helpers ----------------------------------------------------------------

/// A state dir of this parent's own, on tmpfs when there is one: clusters
/// start faster there.
fn state(name: &str) -> State {
    let base = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    State::new(&base, name)
}

/// What a state dir says of its shared local server.
trait LocalServer {
    fn server_dir(&self) -> PathBuf;
    fn record(&self) -> Option<serde_json::Value>;
    fn postmaster(&self) -> Option<u32>;
}

impl LocalServer for State {
    fn server_dir(&self) -> PathBuf {
        self.path().join("local")
    }

    fn record(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&std::fs::read_to_string(self.server_dir().join("server.json")).ok()?).ok()
    }

    fn postmaster(&self) -> Option<u32> {
        self.record()?.get("pid")?.as_u64().map(|p| p as u32)
    }
}

/// A child process on `child_share` with sharing on in `state`, idle time
/// `idle` (`None`: the default, as the environment decides) and `env` on
/// top; nothing inherited from the parent's own seedfast settings.
fn command(state: &State, idle: Option<u64>, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "child_share", "--ignored", "--nocapture", "--test-threads", "1"])
        .env(CHILD_ENV, "1")
        .env("SEEDFAST_SHARE", "1")
        .env("SEEDFAST_BACKEND", "local")
        .env("SEEDFAST_STATE_DIR", state.path())
        .env_remove("SEEDFAST_IDLE_SECS")
        .env_remove("CI")
        .env_remove("SEEDFAST_KEEP");
    if let Some(idle) = idle {
        cmd.env("SEEDFAST_IDLE_SECS", idle.to_string());
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn child(state: &State, env: &[(&str, &str)]) -> Output {
    let out = command(state, Some(600), env).output().expect("run child");
    assert!(out.status.success(), "child failed:\n{}\n{}", text(&out.stdout), text(&out.stderr));
    out
}

fn field(o: &Output, key: &str) -> String {
    support::field(o, key).unwrap_or_else(|| panic!("no @{key}= in:\n{}\n{}", text(&o.stdout), text(&o.stderr)))
}

/// Every `@name=value` line but those that differ per process by design
/// (its pid, its own test databases).
fn handles(o: &Output) -> Vec<String> {
    text(&o.stdout)
        .lines()
        .filter_map(|l| l.split_once('@').map(|(_, f)| f.to_string()))
        .filter(|f| !f.starts_with("pid=") && !f.starts_with("database_"))
        .collect()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

/// (template name, builds) of the shared server at `url`.
fn registry(url: &str) -> Vec<(String, i32)> {
    block_on(seedfast_test::harness::share::registered(url)).unwrap()
}

/// Databases on the server at `url` whose name matches `pattern` (LIKE).
fn databases(url: &str, pattern: &str) -> Vec<String> {
    block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE $1 ORDER BY 1").bind(pattern).fetch_all(&mut c).await.unwrap()
    })
}

fn alive(pid: u32) -> bool {
    // A zombie (our own child, not reaped yet) is dead.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| s.rsplit_once(')').and_then(|(_, r)| r.trim_start().chars().next()).is_some_and(|c| c != 'Z' && c != 'X'))
}

/// A child that waits to be killed once its test has its databases.
fn hanging(state: &State, idle: Option<u64>) -> (Child, String) {
    hang(command(state, idle, &[]))
}

// ---- parents --------------------------------------------------------------

#[test]
fn a_second_process_reuses_the_server_and_the_templates_and_their_reports() {
    if is_child() {
        return;
    }
    let state = state("reuse");
    let first = child(&state, &[]);
    let second = child(&state, &[]);
    let url = field(&first, "server_url");
    assert!(url.starts_with("postgres://postgres@127.0.0.1:"), "{url}");
    assert_eq!(field(&second, "server_url"), url, "the second process found the first's server");
    // The second did not build anything: every template was built once.
    let registry = registry(&url);
    let names: Vec<&str> = registry.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(registry.len(), 4, "a migrated and a seeded template per service: {registry:?}");
    assert!(names.iter().filter(|n| n.starts_with("seedfast_mig_")).count() == 2 && names.iter().filter(|n| n.starts_with("seedfast_tpl_")).count() == 2, "{names:?}");
    assert!(registry.iter().all(|(_, builds)| *builds == 1), "built once: {registry:?}");
    for name in &names {
        let template: Vec<String> = databases(&url, name);
        assert_eq!(template.len(), 1, "{name} exists");
    }
    // The handles of the second process say what the first's said: the
    // report, typed keys and orphans, verified and unverified contracts.
    assert_eq!(handles(&second), handles(&first));
    assert_eq!(field(&second, "rows_users"), "50");
    assert_eq!(field(&second, "rows_orders"), "100");
    assert!(field(&second, "checks_orders").contains("orders.orders.user_id -> users.users.id"), "{}", field(&second, "checks_orders"));
    assert_eq!(field(&second, "orphans").matches(',').count(), 9, "10 orphans: {}", field(&second, "orphans"));
    // Each process's own test databases were dropped at its exit.
    for o in [&first, &second] {
        let pid = field(o, "pid");
        assert!(databases(&url, &format!("%\\_{pid}\\_%")).is_empty(), "process {pid} left test databases");
    }
}

#[test]
fn a_changed_scope_or_migration_gets_a_template_of_its_own() {
    if is_child() {
        return;
    }
    let state = state("change");
    // Inside the state dir, so that it goes with it whatever happens.
    let project = state.path().join("project");
    std::fs::create_dir_all(project.join("migrations")).unwrap();
    std::fs::write(project.join("seedfast.toml"), "[services.people]\nmigrations = \"migrations\"\n").unwrap();
    let migration = project.join("migrations/1_people.sql");
    std::fs::write(&migration, "CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL);\n").unwrap();
    let toml = project.join("seedfast.toml").display().to_string();
    let run_with = |scope: &str| child(&state, &[("SEEDFAST_TEST_PROJECT", &toml), ("SEEDFAST_TEST_SERVICES", &format!("people={scope}"))]);

    let first = run_with("5 people");
    let url = field(&first, "server_url");
    let kinds = |url: &str| {
        let r = registry(url);
        assert!(r.iter().all(|(_, b)| *b == 1), "nothing built twice: {r:?}");
        (r.iter().filter(|(n, _)| n.starts_with("seedfast_mig_")).count(), r.iter().filter(|(n, _)| n.starts_with("seedfast_tpl_")).count())
    };
    assert_eq!(kinds(&url), (1, 1));
    assert_eq!(field(&run_with("5 people"), "rows_people"), "5");
    assert_eq!(kinds(&url), (1, 1), "the same inputs reuse the template");

    let other_scope = run_with("7 people");
    assert_eq!(field(&other_scope, "rows_people"), "7", "a new scope is seeded anew, not served the old rows");
    assert_eq!(kinds(&url), (1, 2), "a new scope: a new seeded template on the same migrated one");

    std::fs::write(&migration, "CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, nickname text);\n").unwrap();
    let migrated = run_with("7 people");
    assert!(field(&migrated, "tables_people").contains("people"));
    assert_eq!(kinds(&url), (2, 3), "a changed migration: new migrated and seeded templates");
    let tpl = registry(&url).into_iter().map(|(n, _)| n).filter(|n| n.starts_with("seedfast_tpl_")).collect::<Vec<_>>();
    let columns: Vec<String> = block_on(async {
        use sqlx::Connection;
        let mut found = Vec::new();
        for t in tpl {
            let mut c = sqlx::PgConnection::connect(&url.replace("/postgres?", &format!("/{t}?"))).await.unwrap();
            let has: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'nickname')").fetch_one(&mut c).await.unwrap();
            found.push(format!("{t}:{has}"));
        }
        found
    });
    assert_eq!(columns.iter().filter(|c| c.ends_with(":true")).count(), 1, "only the newest template has the new column: {columns:?}");

    // Templates unused for longer than the idle time (at least a minute) are
    // dropped by the next process: age every one of them, and the next run
    // drops them all and builds afresh only the two it needs.
    block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query("UPDATE seedfast_templates SET last_used = now() - interval '2 hours'").execute(&mut c).await.unwrap();
    });
    let after = run_with("7 people");
    assert_eq!(field(&after, "rows_people"), "7");
    assert_eq!(kinds(&url), (1, 1), "the stale templates were unregistered: {:?}", registry(&url));
    assert_eq!(databases(&url, "seedfast\\_%\\_t").len(), 2, "and dropped: {:?}", databases(&url, "seedfast\\_%"));
}

#[test]
fn four_processes_at_once_start_one_server_and_build_each_template_once() {
    if is_child() {
        return;
    }
    let state = state("concurrent");
    let children: Vec<Child> = (0..4).map(|_| command(&state, Some(600), &[]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()).collect();
    let outs: Vec<Output> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    for o in &outs {
        assert!(o.status.success(), "{}\n{}", text(&o.stdout), text(&o.stderr));
    }
    let url = field(&outs[0], "server_url");
    assert!(outs.iter().all(|o| field(o, "server_url") == url), "one server for all four");
    let registry = registry(&url);
    assert_eq!(registry.len(), 4, "{registry:?}");
    assert!(registry.iter().all(|(_, builds)| *builds == 1), "each template built exactly once: {registry:?}");
    assert!(outs.iter().all(|o| handles(o) == handles(&outs[0])), "every process got the same report");
    assert!(!databases(&url, "seedfast\\_%").iter().any(|d| !d.ends_with("_t")), "only templates remain once all four exited");
}

#[test]
fn an_idle_server_is_stopped_by_its_watchdog_and_leaves_nothing() {
    if is_child() {
        return;
    }
    let state = state("idle");
    let out = command(&state, Some(1), &[]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pm = state.postmaster().expect("a recorded server");
    let data = state.server_dir().join("cluster/data");
    assert!(alive(pm), "the server outlived its process");
    // Leases gone at exit; one idle second, then the watchdog stops it.
    wait_for("the watchdog stopped the idle server and removed its dir", Duration::from_secs(30), || !alive(pm) && !state.server_dir().exists());
    assert!(!data.exists());
    wait_for("the emptied state dir removed too", Duration::from_secs(5), || !state.path().exists());
    assert_no_segment_of(pm);
}

#[test]
fn under_ci_the_server_is_stopped_when_the_run_ends() {
    if is_child() {
        return;
    }
    let state = state("ci");
    let out = command(&state, None, &[("CI", "true")]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pm = state.postmaster().expect("a recorded server");
    wait_for("CI's server stopped right after the run", Duration::from_secs(15), || !alive(pm) && !state.server_dir().exists());
    wait_for("the emptied state dir removed too", Duration::from_secs(5), || !state.path().exists());
}

/// No SysV shared memory segment created by `pm` is left.
fn assert_no_segment_of(pm: u32) {
    let Ok(table) = std::fs::read_to_string("/proc/sysvipc/shm") else { return };
    let cpid_column = table.lines().next().unwrap().split_whitespace().position(|c| c == "cpid").unwrap();
    let left: Vec<&str> = table.lines().skip(1).filter(|l| l.split_whitespace().nth(cpid_column) == Some(&pm.to_string())).collect();
    assert!(left.is_empty(), "segments of postmaster {pm} left: {left:?}");
}

#[test]
fn clean_stops_unused_servers_and_keeps_leased_ones_unless_all() {
    if is_child() {
        return;
    }
    let state = state("clean");
    let (mut hung, printed_lines) = hanging(&state, Some(600));
    let pm = state.postmaster().expect("a recorded server");

    let kept = state.clean(&[]);
    assert!(kept.status.success(), "{}", text(&kept.stderr));
    assert!(text(&kept.stdout).contains("kept: local server"), "{}", text(&kept.stdout));
    assert!(alive(pm) && state.server_dir().exists(), "a leased server is kept");

    let removed = state.clean(&["--all"]);
    assert!(text(&removed.stdout).contains("removed: local server"), "{}", text(&removed.stdout));
    assert!(!alive(pm) && !state.server_dir().exists(), "--all stops it and removes its dir");
    let _ = hung.kill();
    let _ = hung.wait();
    assert!(!printed(&printed_lines, "server_url").is_empty());

    // Nothing left: clean says so.
    let nothing = state.clean(&[]);
    assert!(text(&nothing.stdout).contains("nothing to clean"), "{}", text(&nothing.stdout));
}

#[test]
fn a_killed_processs_databases_and_lease_are_reaped_and_a_killed_server_replaced() {
    if is_child() {
        return;
    }
    let state = state("killed");
    let (mut hung, lines) = hanging(&state, Some(600));
    let url = printed(&lines, "server_url");
    let pid = printed(&lines, "pid");
    hung.kill().unwrap();
    hung.wait().unwrap();
    let mine = format!("%\\_{pid}\\_%");
    assert!(!databases(&url, &mine).is_empty(), "SIGKILL left the test's databases on the shared server");

    // The next process sweeps them, and reuses the server.
    let next = child(&state, &[]);
    assert_eq!(field(&next, "server_url"), url);
    assert!(databases(&url, &mine).is_empty(), "the next process dropped the killed one's databases");

    // The kernel released the killed process's lease: clean stops the server without --all.
    let cleaned = state.clean(&[]);
    assert!(text(&cleaned.stdout).contains("removed: local server"), "{}", text(&cleaned.stdout));

    // A server that died (SIGKILL) is reaped and replaced by the next process.
    let first = child(&state, &[]);
    let pm = state.postmaster().unwrap();
    unsafe { libc::kill(pm as i32, libc::SIGKILL) };
    wait_for("the postmaster died", Duration::from_secs(10), || !alive(pm));
    let replaced = child(&state, &[]);
    assert_ne!(state.postmaster().unwrap(), pm, "a new server");
    assert_ne!(field(&replaced, "server_url"), "");
    // Built again, so only the timings in the report differ.
    let data = |o: &Output| handles(o).into_iter().filter(|h| !h.starts_with("server_url") && !h.starts_with("report_")).collect::<Vec<_>>();
    assert_eq!(data(&replaced), data(&first), "the same data from the new server");
    assert_no_segment_of(pm);
}

#[test]
fn sharing_off_keeps_everything_per_process() {
    if is_child() {
        return;
    }
    let state = state("off");
    let out = command(&state, Some(600), &[("SEEDFAST_SHARE", "0")]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(field(&out, "server_url"), "", "no shared server");
    assert!(!state.path().exists(), "nothing written to the state dir");

    let bad = command(&state, Some(600), &[("SEEDFAST_SHARE", "maybe")]).output().unwrap();
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("SEEDFAST_SHARE=maybe is not understood"), "{}", text(&bad.stderr));
}

#[test]
fn clean_refuses_unknown_options_with_its_usage() {
    if is_child() {
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_seedfast")).args(["clean", "--everything"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("unknown option `--everything`") && err.contains("usage: seedfast clean [--all]"), "{err}");
}

#[test]
fn the_default_state_dir_follows_the_clusters_and_a_dead_server_in_another_is_reaped() {
    if is_child() {
        return;
    }
    // Two places of this test's own: a run that put its state dir in
    // TMPDIR (`<TMPDIR>/seedfast-<uid>`, the default there) and died with
    // its server and watchdog, and the next run, which chose
    // SEEDFAST_CLUSTER_DIR. Nothing else looks in either.
    let (old, new) = (state("old-place"), state("new-place"));
    for s in [&old, &new] {
        std::fs::create_dir_all(s.path()).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(s.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let uid = unsafe { libc::geteuid() };
    let placed = |tmpdir: &Path, cluster_dir: Option<&Path>| {
        let mut cmd = command(&old, Some(600), &[]);
        cmd.env_remove("SEEDFAST_STATE_DIR").env("TMPDIR", tmpdir);
        match cluster_dir {
            Some(dir) => cmd.env("SEEDFAST_CLUSTER_DIR", dir),
            None => cmd.env_remove("SEEDFAST_CLUSTER_DIR"),
        };
        cmd
    };
    let (mut dead, lines) = hang(placed(old.path(), None));
    let old_dir = old.path().join(format!("seedfast-{uid}/local"));
    assert_eq!(printed(&lines, "server_dir"), old_dir.display().to_string(), "the state dir defaults to where clusters go");
    let record: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(old_dir.join("server.json")).unwrap()).unwrap();
    let (pm, dog) = (record["pid"].as_u64().unwrap() as i32, record["watchdog"].as_u64().unwrap() as i32);
    // Everything of it killed at once, as a machine's OOM killer or a
    // `kill -9` of the whole session would.
    for pid in [dead.id() as i32, dog, pm] {
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
    dead.wait().unwrap();
    wait_for("the dead run's processes are gone", Duration::from_secs(10), || !alive(pm as u32) && !alive(dog as u32));
    assert!(old_dir.join("cluster/data").exists(), "left behind: {}", old_dir.display());

    let next = placed(old.path(), Some(new.path())).output().unwrap();
    assert!(next.status.success(), "{}", text(&next.stderr));
    let new_dir = new.path().join(format!("seedfast-{uid}/local"));
    assert_eq!(field(&next, "server_dir"), new_dir.display().to_string());
    assert!(!old_dir.exists(), "the next run reaped the dead server's dir {}", old_dir.display());
    assert_no_segment_of(pm as u32);
    // This run's own server, by its state dir alone: `clean` without one
    // would stop every unleased shared server of this user, other tests' too.
    let cleaned = Command::new(env!("CARGO_BIN_EXE_seedfast")).arg("clean").env("SEEDFAST_STATE_DIR", new_dir.parent().unwrap()).output().unwrap();
    assert!(text(&cleaned.stdout).contains("removed: local server on port"), "{}", text(&cleaned.stdout));
    assert!(!new_dir.exists());
}

#[test]
fn sharing_is_on_by_default_for_the_local_backend() {
    if is_child() {
        return;
    }
    let state = state("default");
    let mut cmd = command(&state, Some(600), &[]);
    cmd.env_remove("SEEDFAST_SHARE");
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(field(&out, "server_dir"), state.server_dir().display().to_string(), "SEEDFAST_SHARE unset shares the server");
    assert!(!text(&out.stderr).contains("not sharing"), "{}", text(&out.stderr));
}

/// The notes a child printed about not sharing.
fn notes(o: &Output) -> Vec<String> {
    text(&o.stderr).lines().filter(|l| l.contains("not sharing the local server")).map(str::to_string).collect()
}

/// The one note of a child on `child_share` run with `env` that had to fall
/// back to a server of its own, its test passing all the same.
fn fell_back(state: &State, env: &[(&str, &str)]) -> String {
    let out = command(state, Some(600), env).output().unwrap();
    assert!(out.status.success(), "the test still runs:\n{}", text(&out.stderr));
    assert_eq!(field(&out, "server_url"), "", "on a server of its own");
    assert_eq!(field(&out, "rows_users"), "50");
    let notes = notes(&out);
    assert_eq!(notes.len(), 1, "one line: {}", text(&out.stderr));
    notes[0].clone()
}

#[test]
fn an_unwritable_state_dir_falls_back_to_a_server_of_its_own_with_one_line() {
    if is_child() {
        return;
    }
    let state = state("unwritable");
    std::fs::create_dir_all(state.path()).unwrap();
    // Under a regular file: no directory can be made there, even by root.
    let file = state.path().join("a-file");
    std::fs::write(&file, "not a directory\n").unwrap();
    let note = fell_back(&state, &[("SEEDFAST_SHARE", ""), ("SEEDFAST_STATE_DIR", &file.join("state").display().to_string())]);
    assert!(note.contains("a-file/state") && note.contains("SEEDFAST_SHARE=0"), "{note}");
}

#[test]
fn without_flock_it_falls_back_to_a_server_of_its_own_with_one_line() {
    if is_child() {
        return;
    }
    let state = state("no-flock");
    std::fs::create_dir_all(state.path()).unwrap();
    // A PATH with no `flock` (nor anything else: the binaries are found
    // under /usr/lib/postgresql).
    let note = fell_back(&state, &[("PATH", &state.path().display().to_string())]);
    assert!(note.contains("`flock`"), "{note}");
    assert!(!state.server_dir().exists(), "nothing shared was started");
}

#[test]
fn a_ci_run_shortens_the_idle_time_of_a_server_a_longer_run_left() {
    if is_child() {
        return;
    }
    let state = state("shorter");
    child(&state, &[]);
    let pm = state.postmaster().expect("a recorded server");
    let first = state.record().unwrap()["watchdog"].as_u64().unwrap() as u32;
    assert_eq!(state.record().unwrap()["idle_secs"], 600);
    let out = command(&state, None, &[("CI", "true")]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!alive(first), "the ten-minute watchdog was replaced");
    wait_for("the CI run's idle time stopped the server when it ended", Duration::from_secs(15), || !alive(pm) && !state.path().exists());
}
