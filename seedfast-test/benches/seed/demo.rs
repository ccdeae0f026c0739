//! Part 8: the five-service demo (`cargo run -p seedfast-test --example ecommerce`, debug) on
//! the Docker backend vs the local one: the wall time of the whole process, start-up included,
//! per run. For each backend: cold (nothing shared yet: `seedfast clean --all` first, so the run
//! starts the container or server and builds the templates), warm (the next run, which finds
//! them), and per process (`SEEDFAST_SHARE=0`). The rows alternate, backend by backend, round by
//! round, so that a change of load hits them alike; medians and ranges are reported, with the
//! load average before and after. The Docker rows need an engine and the image
//! (`SEEDFAST_POSTGRES_IMAGE`, else `seedfast-local/postgres:15` if present, else `postgres:18`);
//! without them they are skipped with a line saying so.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROUNDS: usize = 5;
const LOCAL_IMAGE: &str = "seedfast-local/postgres:15";

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds the demo (debug, as a user runs it) and returns its executable.
fn build() -> Option<PathBuf> {
    let out = cargo()
        .args(["build", "-p", "seedfast-test", "--example", "ecommerce", "--message-format=json-render-diagnostics"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).find_map(|m| {
        (m["target"]["name"] == "ecommerce").then(|| m["executable"].as_str().map(PathBuf::from)).flatten()
    })
}

/// The image the Docker rows use, if an engine has it.
pub fn image() -> Option<String> {
    let present = |image: &str| Command::new("docker").args(["image", "inspect", image]).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    let image = match std::env::var("SEEDFAST_POSTGRES_IMAGE") {
        Ok(image) if !image.trim().is_empty() => image,
        _ if present(LOCAL_IMAGE) => LOCAL_IMAGE.to_owned(),
        _ => "postgres:18".to_owned(),
    };
    present(&image).then_some(image)
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_else(|_| "?".into())
}

fn clean(state: &Path) {
    let _ = Command::new(env!("CARGO_BIN_EXE_seedfast")).args(["clean", "--all"]).env("SEEDFAST_STATE_DIR", state).output();
}

/// One run of the demo: its wall time, or `None` (said) when it failed.
fn run(exe: &Path, backend: &str, image: &str, share: bool, state: &Path) -> Option<Duration> {
    let started = Instant::now();
    let out = Command::new(exe)
        .args(["--output", "plain"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env("SEEDFAST_BACKEND", backend)
        .env("SEEDFAST_POSTGRES_IMAGE", image)
        .env("SEEDFAST_SHARE", if share { "1" } else { "0" })
        .env("SEEDFAST_STATE_DIR", state)
        .env("SEEDFAST_IDLE_SECS", "600")
        .env_remove("CI")
        .env_remove("SEEDFAST_SCALE")
        .output()
        .ok()?;
    let elapsed = started.elapsed();
    if !out.status.success() {
        eprintln!("  the {backend} demo failed:\n{}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    Some(elapsed)
}

fn summary(times: &[Duration]) -> String {
    if times.is_empty() {
        return "failed".into();
    }
    let mut sorted = times.to_vec();
    sorted.sort();
    let secs = |d: Duration| d.as_secs_f64();
    format!("{:.2} s  ({:.2}-{:.2} s, {} runs)", secs(sorted[sorted.len() / 2]), secs(sorted[0]), secs(sorted[sorted.len() - 1]), sorted.len())
}

fn median(times: &[Duration]) -> Option<f64> {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).map(Duration::as_secs_f64)
}

pub fn measure() {
    let Some(exe) = build() else {
        println!("demo: skipped, the ecommerce example did not build");
        return;
    };
    let image = image();
    let mut backends = vec!["local"];
    match &image {
        Some(_) => backends.insert(0, "docker"),
        None => println!("demo: the docker rows are skipped: no engine answers, or no image is present"),
    }
    let image = image.unwrap_or_default();
    let state = std::env::temp_dir().join(format!("seedfast-bench-demo-{}", std::process::id()));
    // (backend, kind) -> times
    let kinds = ["cold", "warm", "per process"];
    let mut times: Vec<Vec<Vec<Duration>>> = vec![vec![Vec::new(); kinds.len()]; backends.len()];
    let before = load();
    for _ in 0..ROUNDS {
        for (b, backend) in backends.iter().enumerate() {
            clean(&state);
            times[b][0].extend(run(&exe, backend, &image, true, &state));
            times[b][1].extend(run(&exe, backend, &image, true, &state));
            times[b][2].extend(run(&exe, backend, &image, false, &state));
        }
    }
    clean(&state);
    let _ = std::fs::remove_dir_all(&state);
    println!("five-service demo (examples/ecommerce, debug, wall time per process; load average {before} before, {} after):", load());
    for (b, backend) in backends.iter().enumerate() {
        for (k, kind) in kinds.iter().enumerate() {
            println!("  {backend:<7} {kind:<12} {}", summary(&times[b][k]));
        }
    }
    if backends.len() == 2 {
        for (k, kind) in kinds.iter().enumerate() {
            if let (Some(d), Some(l)) = (median(&times[0][k]), median(&times[1][k])) {
                println!("  docker / local, {kind:<12} {:.2}x", d / l);
            }
        }
    }
}
