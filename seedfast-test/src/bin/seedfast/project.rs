//! The project file and the databases of its services: where `seed-all`
//! and `verify` find the system they work on.

use std::path::{Path, PathBuf};

use seedfast_test::scope::project::Project;
use sqlx::PgConnection;

use crate::Failure;

/// The project file as parsed. Migration paths are not needed: the
/// commands work on databases that are already migrated.
pub fn load(path: &Path) -> Result<Project, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::config(format!("cannot read the project file {}: {e}", path.display())))?;
    Project::parse(&text).map_err(|e| Failure::config(format!("project file {}: {e}", path.display())))
}

/// `--project`, required.
pub fn required(project: Option<PathBuf>, usage: &str) -> Result<PathBuf, Failure> {
    project.ok_or_else(|| Failure::usage("`--project` is required, e.g. `--project seedfast.toml`", usage))
}

/// The variable holding a service's database URL: `SEEDFAST_DSN_` and the
/// name uppercased, anything but ASCII letters and digits as `_`.
pub fn dsn_var(service: &str) -> String {
    let name: String = service.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    format!("SEEDFAST_DSN_{name}")
}

/// The service's database URL, when its variable is set and not blank.
pub fn dsn(service: &str) -> Option<String> {
    std::env::var(dsn_var(service)).ok().filter(|v| !v.trim().is_empty())
}

/// Connects to a service's database; the error names the service and the
/// variable, and never the password.
pub async fn connect(service: &str, url: &str) -> Result<PgConnection, Failure> {
    seedfast_test::connect(url).await.map_err(|e| {
        let code = crate::exit_code(&e);
        Failure::new(code, format!("service `{service}` ({}): {e}", dsn_var(service)))
    })
}

/// `a`, `b`, `c` for messages.
pub fn quoted<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> String {
    names.into_iter().map(|n| format!("`{}`", n.as_ref())).collect::<Vec<_>>().join(", ")
}
