//! Which backend a test process uses. Docker when an engine answers and the
//! image can be had; otherwise the local PostgreSQL binaries, with a
//! one-line notice saying why. `SEEDFAST_BACKEND` chooses explicitly and
//! then never falls back; the external server is used only when chosen,
//! never because `DATABASE_URL` happens to be set.

use crate::backend::{self, DockerServer, Server};
use crate::error::{Error, Result};

pub const BACKEND_ENV: &str = "SEEDFAST_BACKEND";
pub const EXTERNAL_URL_ENV: &str = "SEEDFAST_EXTERNAL_URL";

#[derive(Clone)]
pub enum Backend {
    /// One container for the process, a database per service (see [`container`]).
    Docker,
    /// One ephemeral cluster for the process, a database per service.
    Local,
    /// One existing server, prefixed databases dropped after use.
    External(Server),
    /// The local cluster or the container shared across processes (the
    /// default), used like an external server: test databases are dropped
    /// after use, templates stay for the next process.
    Shared(Server),
}

impl Backend {
    /// The server every service of this process is a database on.
    pub async fn server(&self) -> Result<Server> {
        Ok(match self {
            Backend::Docker => container().await?,
            Backend::Local => Server::local().await?,
            Backend::External(server) | Backend::Shared(server) => server.clone(),
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Docker => "docker",
            Backend::Shared(_) => super::share::current().map_or("local", |s| s.backend),
            Backend::Local => "local",
            Backend::External(_) => "external",
        }
    }
}

/// The `dev.seedfast.service` label of the process's container.
const CONTAINER_LABEL: &str = "all services";

/// The container of this process on the Docker backend: one for every
/// service, each a database on it, as on the local backend. A container per
/// service runs initdb and starts its server twice (the image's init pass)
/// per service, all at once: on the project's 2-core machine five of them
/// took ~7.5 s to be ready against ~1.6 s for one, most of the five-service
/// demo's time. Started by the first service that needs it; a failed start
/// is tried again by the next.
async fn container() -> Result<Server> {
    static CONTAINER: tokio::sync::OnceCell<Server> = tokio::sync::OnceCell::const_new();
    let server = CONTAINER
        .get_or_try_init(|| async { Ok::<_, Error>(Server::Docker(std::sync::Arc::new(DockerServer::start(CONTAINER_LABEL).await?))) })
        .await?;
    Ok(server.clone())
}

pub async fn choose() -> Result<Backend> {
    let choice = std::env::var(BACKEND_ENV).unwrap_or_default();
    match choice.trim().to_ascii_lowercase().as_str() {
        "docker" => {
            // Explicit: any problem is an error, never a silent fallback.
            backend::docker_available().await?;
            let image = backend::configured_image()?;
            backend::image_available(&image).await?;
            docker(&image).await
        }
        "local" => local().await,
        "external" => {
            let url = std::env::var(EXTERNAL_URL_ENV).map_err(|_| {
                Error::Usage(format!("{BACKEND_ENV}=external needs {EXTERNAL_URL_ENV}, the URL of a server where seedfast may create and drop databases"))
            })?;
            Ok(Backend::External(Server::external(&url)?))
        }
        "" | "auto" => {
            let docker = match backend::docker_available().await {
                Ok(()) => match backend::configured_image() {
                    Ok(image) => backend::image_available(&image).await,
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            };
            match docker {
                Ok(()) => self::docker(&backend::configured_image()?).await,
                Err(reason) => {
                    eprintln!("seedfast: using the local PostgreSQL binaries, not Docker: {reason} (set {BACKEND_ENV}=docker to require Docker)");
                    local().await
                }
            }
        }
        other => Err(Error::Usage(format!("{BACKEND_ENV}={other} is not a backend; expected `docker`, `local`, `external` or `auto`"))),
    }
}

/// The local backend: the cluster shared across processes when sharing is
/// on (see `share`), else one of this process's own. A shared server that
/// cannot be had (an unwritable state dir, a start that failed) is worth a
/// one-line note, not a failed test: a server of this process's own does
/// the same job, only slower. A setting that cannot be read stays an error.
async fn local() -> Result<Backend> {
    if super::share::enabled()? {
        match super::share::local().await {
            Ok(shared) => return Ok(Backend::Shared(shared.server.clone())),
            Err(err @ Error::Usage(_)) => return Err(err),
            Err(err) => super::share::fall_back(&one_line(&err.to_string())),
        }
    }
    Ok(Backend::Local)
}

/// The Docker backend: the container shared across processes when sharing
/// is on, else one of this process's own. As for the local backend, a shared
/// container that cannot be had is a one-line note, not a failed test.
async fn docker(image: &str) -> Result<Backend> {
    if super::share::requested()? {
        match super::share::docker(image).await {
            Ok(shared) => return Ok(Backend::Shared(shared.server.clone())),
            Err(err @ Error::Usage(_)) => return Err(err),
            Err(err) => super::share::fall_back_docker(&one_line(&err.to_string())),
        }
    }
    Ok(Backend::Docker)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
