//! The shared container of the Docker backend (see `backend::docker`'s `shared` module for how
//! it is found, leased and stopped): the harness's side, where processes of this host queue on
//! a lock in the state dir so that one of them creates it, and its templates' registry.

use std::time::Duration;

use super::lock::DirLock;
use super::{Shared, SHARED, explicit_state_dir, idle_secs, state_dir, templates};
use crate::backend::{self, Server};
use crate::error::{Error, Result};

/// The lock's directory in the state dir. Removed after each use (under the lock), so that a
/// CI run leaves no state dir; the container itself needs nothing on the host.
const LOCK_DIR: &str = "docker";

/// The shared container for `image`, found or started once per process, with this process's
/// lease on it and its registry of templates ready.
pub(crate) async fn docker(image: &str) -> Result<&'static Shared> {
    SHARED
        .get_or_try_init(|| async {
            let idle = idle_secs()?;
            let startup: Duration = backend::startup_timeout_from_env()?;
            let dir = state_dir().join(LOCK_DIR);
            // Without it (an unwritable state dir), the container's fixed name still keeps
            // processes that start at once to one container; they only wait less politely.
            let lock = tokio::task::spawn_blocking(move || DirLock::take(&dir).ok()).await.ok().flatten();
            let acquired = backend::acquire_shared(image, &domain(), idle, startup).await;
            if let Some(lock) = lock {
                let _ = tokio::task::spawn_blocking(move || lock.remove()).await;
            }
            let container = acquired?;
            let server = Server::external(&container.url)?;
            let version = templates::server_version(&server).await?;
            templates::prepare_registry(&server, idle).await?;
            Ok::<_, Error>(Shared { server, version, dir: None, backend: "docker", container: Some(container.id) })
        })
        .await
}

/// The sharing domain of this process's container: an explicit `SEEDFAST_STATE_DIR`, which
/// separates local servers too (tests use one of their own), else the default one.
pub(crate) fn domain() -> String {
    explicit_state_dir().map(|dir| dir.display().to_string()).unwrap_or_default()
}

/// For `seedfast clean`: one line per shared container of this domain, removed unless a
/// running process leases it (and `all` is false).
pub async fn clean(all: bool) -> Vec<String> {
    backend::clean_shared(&domain(), all)
        .await
        .into_iter()
        .map(|(removed, id, image)| match removed {
            true => format!("removed: shared docker container {id} ({image})"),
            false => format!("kept: shared docker container {id} ({image}): a running test process uses it (--all removes it anyway)"),
        })
        .collect()
}
