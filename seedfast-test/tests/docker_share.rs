//! The Docker backend's container shared across test processes, against a real engine: a
//! second process reuses it and its templates, processes starting at once create one, its
//! watchdog removes it once idle (also after a SIGKILL), `seedfast clean` removes it, and
//! `SEEDFAST_SHARE=0` keeps a container per process. Each case runs this binary again as
//! children on `child_docker`, each parent with a state dir (a sharing domain) of its own, so
//! parallel parents never share a container.
//!
//! Without an engine or the image (`SEEDFAST_POSTGRES_IMAGE`, else `seedfast-local/postgres:15`
//! if present, else the default), each test says it was skipped and passes, unless
//! `SEEDFAST_BACKEND=docker`, where it fails.

mod support;

use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use seedfast_test::__private::{Dbs, TestSpec, run};
use support::{CHILD_ENV, State, hang, is_child, printed, text, wait_for};

const ECOMMERCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/ecommerce/seedfast.toml");
const LOCAL_IMAGE: &str = "seedfast-local/postgres:15";
const DEFAULT_IMAGE: &str = "postgres:18";

// ---- the child ------------------------------------------------------------

/// Takes a `users` and an `orders` database and prints its container, its databases and what
/// the handles say; with `SEEDFAST_TEST_HANG` set it then waits to be killed.
#[test]
#[ignore = "run by the parent tests of this file"]
fn child_docker() {
    let services: &'static [(&'static str, &'static str)] = &[("users", "20 users"), ("orders", "30 orders")];
    let spec = TestSpec { test: "docker_share::child_docker", project: ECOMMERCE, services, seed: None };
    run(spec, |mut dbs: Dbs| async move {
        println!("@pid={}", std::process::id());
        println!("@backend={}", seedfast_test::harness::backend_name().unwrap_or("none"));
        println!("@container={}", seedfast_test::harness::share::container_id().unwrap_or_default());
        for (service, _) in services {
            let db = dbs.take(service);
            println!("@database_{service}={}", db.database());
            let table = &db.report().tables[0].table;
            let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}"))).fetch_one(db.pool()).await.unwrap();
            println!("@rows_{service}={rows}");
            println!("@keys_{service}={}", db.ids(table).as_strings().map(|k| k.join(",")).unwrap_or_default());
        }
        if std::env::var_os("SEEDFAST_TEST_HANG").is_some() {
            println!("@hang=1");
            std::future::pending::<()>().await;
        }
    });
}

// ---- helpers ----------------------------------------------------------------

/// A state dir of this parent's own, and so a container of its own (see [`State`]).
fn state(name: &str) -> State {
    State::new(&std::env::temp_dir(), &format!("docker-{name}"))
}

/// The image and a state dir called `name` for the parent test `test`; `None` in a child, or
/// when Docker cannot serve the image (see [`image`]).
fn parent(test: &str, name: &str) -> Option<(String, State)> {
    if is_child() {
        return None;
    }
    image(test).map(|image| (image, state(name)))
}

/// The image to test with, or `None` (said in one line) when Docker cannot serve it and the
/// docker backend was not asked for.
fn image(test: &str) -> Option<String> {
    let demanded = std::env::var("SEEDFAST_BACKEND").as_deref() == Ok("docker");
    let image = match std::env::var("SEEDFAST_POSTGRES_IMAGE") {
        Ok(image) if !image.trim().is_empty() => image,
        _ if docker(&["image", "inspect", LOCAL_IMAGE]).status.success() => LOCAL_IMAGE.to_owned(),
        _ => DEFAULT_IMAGE.to_owned(),
    };
    if docker(&["image", "inspect", &image]).status.success() {
        return Some(image);
    }
    assert!(!demanded, "SEEDFAST_BACKEND=docker, but image `{image}` is not present (or no engine answers)");
    eprintln!("skipped {test}: image `{image}` is not present, or no docker engine answers");
    None
}

fn docker(args: &[&str]) -> Output {
    Command::new("docker").args(args).stdin(Stdio::null()).output().expect("run the docker CLI")
}

/// A child on `child_docker` on the Docker backend with sharing on in `state`, idle time
/// `idle`, and `env` on top; nothing inherited from the parent's own seedfast settings.
fn command(state: &State, image: &str, idle: u64, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "child_docker", "--ignored", "--nocapture", "--test-threads", "1"])
        .env(CHILD_ENV, "1")
        .env("SEEDFAST_SHARE", "1")
        .env("SEEDFAST_BACKEND", "docker")
        .env("SEEDFAST_POSTGRES_IMAGE", image)
        .env("SEEDFAST_STATE_DIR", state.path())
        .env("SEEDFAST_IDLE_SECS", idle.to_string())
        .env_remove("CI")
        .env_remove("SEEDFAST_KEEP");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn child(state: &State, image: &str, idle: u64, env: &[(&str, &str)]) -> Output {
    let out = command(state, image, idle, env).output().expect("run child");
    assert!(out.status.success(), "child failed:\n{}\n{}", text(&out.stdout), text(&out.stderr));
    out
}

fn field(o: &Output, key: &str) -> String {
    support::field(o, key).unwrap_or_else(|| panic!("no @{key}= in:\n{}\n{}", text(&o.stdout), text(&o.stderr)))
}

/// A child that waits to be killed once its test has its databases, with its container's id.
fn hanging(state: &State, image: &str, idle: u64) -> (Child, String) {
    let (child, lines) = hang(command(state, image, idle, &[]));
    (child, printed(&lines, "container"))
}

fn exists(id: &str) -> bool {
    !docker(&["ps", "-aq", "--no-trunc", "--filter", &format!("id={id}")]).stdout.trim_ascii().is_empty()
}

/// `sql`'s rows in the container's `postgres` database, as its superuser (no password).
fn psql(id: &str, sql: &str) -> Vec<String> {
    let out = docker(&["exec", "-u", "postgres", id, "psql", "-X", "-d", "postgres", "-Atc", sql]);
    assert!(out.status.success(), "psql: {}", text(&out.stderr));
    text(&out.stdout).lines().map(str::to_owned).collect()
}

/// (template name, builds) of the container's registry.
fn registry(id: &str) -> Vec<String> {
    psql(id, "SELECT name || ' ' || builds FROM seedfast_templates ORDER BY name")
}

// ---- parents --------------------------------------------------------------

#[test]
fn a_second_process_reuses_the_container_and_its_templates() {
    let Some((image, state)) = parent("a_second_process_reuses_the_container_and_its_templates", "reuse") else { return };
    let first = child(&state, &image, 600, &[]);
    let id = field(&first, "container");
    assert_eq!(field(&first, "backend"), "docker");
    assert!(!id.is_empty(), "a shared container: {}", text(&first.stderr));
    assert!(exists(&id), "it outlives the first process");
    let verifier = psql(&id, "SELECT left(rolpassword, 16) FROM pg_authid WHERE rolname = 'postgres'").concat();
    assert!(verifier.starts_with("md5") || verifier.starts_with("SCRAM-SHA-256$1:"), "an expensive verifier: {verifier}");
    let built = registry(&id);
    assert_eq!(built.len(), 4, "a migrated and a seeded template per service: {built:?}");
    assert!(built.iter().all(|r| r.ends_with(" 1")), "built once: {built:?}");

    let second = child(&state, &image, 600, &[]);
    assert_eq!(field(&second, "container"), id, "the second process found the first's container");
    assert_eq!(registry(&id), built, "and built nothing: every template was reused");
    for key in ["rows_users", "rows_orders", "keys_users", "keys_orders"] {
        assert_eq!(field(&second, key), field(&first, key), "{key}");
    }
    assert_eq!(field(&second, "rows_users"), "20");
    // Each process's own test databases were dropped at its exit.
    for o in [&first, &second] {
        let pid = field(o, "pid");
        let left = psql(&id, &format!("SELECT datname FROM pg_database WHERE datname LIKE '%\\_{pid}\\_%'"));
        assert!(left.is_empty(), "process {pid} left test databases: {left:?}");
    }
    // Never a password on the output.
    let password = text(&docker(&["inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", &id]).stdout)
        .lines()
        .find_map(|l| l.strip_prefix("POSTGRES_PASSWORD=").map(str::to_owned))
        .expect("a password");
    for o in [&first, &second] {
        assert!(!text(&o.stdout).contains(&password) && !text(&o.stderr).contains(&password), "the password was printed");
    }
}

#[test]
fn processes_starting_at_once_create_one_container() {
    let Some((image, _)) = parent("processes_starting_at_once_create_one_container", "unused") else { return };
    for with_lock in [true, false] {
        let state = state(if with_lock { "once" } else { "once-nolock" });
        // Without a usable state dir (a file in its place) only the container's name keeps
        // them to one.
        if !with_lock {
            std::fs::write(state.path(), b"not a directory").unwrap();
        }
        let children: Vec<Child> = (0..4).map(|_| command(&state, &image, 600, &[]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()).collect();
        let outs: Vec<Output> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
        for o in &outs {
            assert!(o.status.success(), "child failed:\n{}\n{}", text(&o.stdout), text(&o.stderr));
        }
        let ids: Vec<String> = outs.iter().map(|o| field(o, "container")).collect();
        assert!(!ids[0].is_empty() && ids.iter().all(|id| *id == ids[0]), "one container (lock {with_lock}): {ids:?}");
        let built = registry(&ids[0]);
        assert!(built.len() == 4 && built.iter().all(|r| r.ends_with(" 1")), "each template built once: {built:?}");
        let cleaned = state.clean(&["--all"]);
        assert!(text(&cleaned.stdout).contains("removed: shared docker container"), "{}", text(&cleaned.stdout));
        if !with_lock {
            let _ = std::fs::remove_file(state.path());
        }
    }
}

#[test]
fn an_idle_container_is_removed_by_its_watchdog() {
    let Some((image, state)) = parent("an_idle_container_is_removed_by_its_watchdog", "idle") else { return };
    let out = child(&state, &image, 1, &[]);
    let id = field(&out, "container");
    wait_for("the idle container was removed", Duration::from_secs(30), || !exists(&id));
    // Under CI the idle time is 0: the container goes as soon as the run ends.
    let mut ci = command(&state, &image, 0, &[]);
    ci.env_remove("SEEDFAST_IDLE_SECS").env("CI", "true");
    let out = ci.output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = field(&out, "container");
    wait_for("the CI run's container was removed", Duration::from_secs(20), || !exists(&id));
    assert!(!state.path().exists(), "nothing left in the state dir either");
}

#[test]
fn a_killed_processs_container_is_reaped() {
    let Some((image, state)) = parent("a_killed_processs_container_is_reaped", "killed") else { return };
    let (mut hung, id) = hanging(&state, &image, 2);
    std::thread::sleep(Duration::from_secs(5));
    assert!(exists(&id), "a leased container is kept past its idle time");
    hung.kill().unwrap();
    hung.wait().unwrap();
    // The kernel closed its lease session: the watchdog removes the container.
    wait_for("the killed process's container was removed", Duration::from_secs(30), || !exists(&id));
}

#[test]
fn clean_removes_unleased_containers_and_leased_ones_with_all() {
    let Some((image, state)) = parent("clean_removes_unleased_containers_and_leased_ones_with_all", "clean") else { return };
    let (mut hung, id) = hanging(&state, &image, 600);
    let kept = state.clean(&[]);
    assert!(kept.status.success(), "{}", text(&kept.stderr));
    assert!(text(&kept.stdout).contains("kept: shared docker container"), "{}", text(&kept.stdout));
    assert!(exists(&id), "a leased container is kept");
    let removed = state.clean(&["--all"]);
    assert!(text(&removed.stdout).contains("removed: shared docker container"), "{}", text(&removed.stdout));
    assert!(!exists(&id), "--all removes it");
    let _ = hung.kill();
    let _ = hung.wait();

    // Unleased (its process ended, idle time not over): plain clean removes it.
    let out = child(&state, &image, 600, &[]);
    let id = field(&out, "container");
    assert!(exists(&id));
    let removed = state.clean(&[]);
    assert!(text(&removed.stdout).contains("removed: shared docker container"), "{}", text(&removed.stdout));
    assert!(!exists(&id));
}

#[test]
fn sharing_off_keeps_a_container_per_process() {
    let Some((image, state)) = parent("sharing_off_keeps_a_container_per_process", "off") else { return };
    let out = child(&state, &image, 600, &[("SEEDFAST_SHARE", "0")]);
    assert_eq!(field(&out, "backend"), "docker");
    assert_eq!(field(&out, "container"), "", "no shared container");
    let ours = docker(&["ps", "-aq", "--filter", &format!("label=dev.seedfast.domain={}", state.path().display())]);
    assert!(ours.stdout.trim_ascii().is_empty(), "none was created");
}
