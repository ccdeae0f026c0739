//! `seedfast clean`: stops this user's shared local servers (see `harness::share`)
//! and shared Docker containers that no running test process uses, removes their files, removes the
//! containers that killed test processes left, and says what it removed.
//! `--all` stops leased servers too (their tests then fail).

use seedfast_test::harness::share;

use crate::{Failure, exit};

pub const USAGE: &str = "usage: seedfast clean [--all]

Stops the shared PostgreSQL servers that test processes started on the
local backend (under SEEDFAST_STATE_DIR, by default seedfast-<uid> in
/dev/shm or the temp dir, both looked in), with their templates, and
removes their files, and the PostgreSQL containers shared by test processes on
the Docker backend (of this SEEDFAST_STATE_DIR, if set). A server or container
that a running test process uses is kept unless --all is given. Containers of
test processes that died without removing them (SIGKILL) are removed too.";

pub fn run(args: &[String]) -> Result<(), Failure> {
    let mut all = false;
    for arg in args {
        match arg.as_str() {
            "--all" => all = true,
            "-h" | "--help" => return Err(Failure { code: exit::USAGE, message: USAGE.into() }),
            other => return Err(Failure::usage(format!("unknown option `{other}`"), USAGE)),
        }
    }
    let mut lines = share::clean(all)?;
    // Only containers whose owner process is dead: a running test's are its own.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(exit::UNREACHABLE, format!("cannot start a runtime to ask Docker: {e}")))?;
    for (id, owner) in runtime.block_on(seedfast_test::backend::clean_stale_containers()) {
        lines.push(format!("removed: container {id} of dead test process {owner}"));
    }
    lines.extend(runtime.block_on(share::clean_docker(all)));
    if lines.is_empty() {
        println!("nothing to clean in {}", share::state_dir().display());
    }
    for line in lines {
        println!("{line}");
    }
    Ok(())
}
