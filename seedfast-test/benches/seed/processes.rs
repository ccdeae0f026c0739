//! Part 6: a test's cost when every test is a process of its own (`cargo
//! nextest run`) vs one process for all (`cargo test`), with and without
//! sharing servers and templates across processes (`SEEDFAST_SHARE`). The
//! tests are tests/parallel.rs's 64 two-service tests, run by cargo itself
//! as a user would; the wall time is divided by 64. Needs cargo-nextest;
//! skipped with a line saying so without it. On the local backend, and
//! shared on the Docker backend too when the demo's image is there (see
//! `demo.rs`; a container per process under nextest is left out: 64 container
//! starts take minutes and say nothing new).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const TESTS: u32 = 64;

fn cargo(args: &[&str], share: bool, state: &Path) -> Option<Duration> {
    cargo_on("local", "", args, share, state)
}

fn cargo_on(backend: &str, image: &str, args: &[&str], share: bool, state: &Path) -> Option<Duration> {
    let started = Instant::now();
    let out = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SEEDFAST_BACKEND", backend)
        .env("SEEDFAST_POSTGRES_IMAGE", image)
        .env("SEEDFAST_SHARE", if share { "1" } else { "0" })
        .env("SEEDFAST_STATE_DIR", state)
        .env_remove("CI")
        .output()
        .ok()?;
    let elapsed = started.elapsed();
    if !out.status.success() {
        eprintln!("  `cargo {}` failed:\n{}", args.join(" "), String::from_utf8_lossy(&out.stderr));
        return None;
    }
    Some(elapsed)
}

const NEXTEST: &[&str] = &["nextest", "run", "-p", "seedfast-test", "--test", "parallel", "--run-ignored", "only", "-E", "test(/^parallel_/)"];
const CARGO_TEST: &[&str] = &["test", "-p", "seedfast-test", "--test", "parallel", "--", "--ignored", "parallel_"];

pub fn measure() {
    let has_nextest = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())).args(["nextest", "--version"]).output().is_ok_and(|o| o.status.success());
    if !has_nextest {
        println!("processes: skipped, cargo-nextest is not installed (cargo install cargo-nextest)");
        return;
    }
    let state: PathBuf = std::env::temp_dir().join(format!("seedfast-bench-share-{}", std::process::id()));
    // Builds first, so that no row pays for compiling.
    let _ = cargo(&["nextest", "run", "-p", "seedfast-test", "--test", "parallel", "--no-run"], false, &state);
    let _ = cargo(&["test", "-p", "seedfast-test", "--test", "parallel", "--no-run"], false, &state);
    let per_test = |d: Option<Duration>| d.map_or_else(|| "failed".to_string(), |d| format!("{:>7.0} ms/test  ({:.1} s)", d.as_secs_f64() * 1e3 / TESTS as f64, d.as_secs_f64()));
    println!("per-test cost, 64 tests x 2 services (tests/parallel.rs), local backend:");
    println!("  cargo test,    per process  {}", per_test(cargo(CARGO_TEST, false, &state)));
    println!("  nextest,       per process  {}", per_test(cargo(NEXTEST, false, &state)));
    println!("  nextest,       shared, cold {}", per_test(cargo(NEXTEST, true, &state)));
    println!("  nextest,       shared, warm {}", per_test(cargo(NEXTEST, true, &state)));
    println!("  cargo test,    shared, warm {}", per_test(cargo(CARGO_TEST, true, &state)));
    let clean = || Command::new(env!("CARGO_BIN_EXE_seedfast")).args(["clean", "--all"]).env("SEEDFAST_STATE_DIR", &state).output();
    let _ = clean();
    if let Some(image) = super::demo::image() {
        println!("the same on the Docker backend ({image}), shared:");
        println!("  nextest,       shared, cold {}", per_test(cargo_on("docker", &image, NEXTEST, true, &state)));
        println!("  nextest,       shared, warm {}", per_test(cargo_on("docker", &image, NEXTEST, true, &state)));
        println!("  cargo test,    shared, warm {}", per_test(cargo_on("docker", &image, CARGO_TEST, true, &state)));
        println!("  cargo test,    per process  {}", per_test(cargo_on("docker", &image, CARGO_TEST, false, &state)));
        let _ = clean();
    }
    let _ = std::fs::remove_dir_all(&state);
}
