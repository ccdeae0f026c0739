//! The `external` backend: a PostgreSQL server someone else runs, given by URL.

use std::fmt;

use sqlx::postgres::PgConnectOptions;

use super::error::BackendError;
use super::url;

/// A server reached through a `postgres://` URL whose user may create databases.
///
/// The URL's database is the maintenance database that `CREATE DATABASE` and `DROP DATABASE`
/// run from; the databases the engine creates all carry the `seedfast_` prefix.
pub struct ExternalServer {
    url: String,
    secrets: Vec<String>,
}

impl ExternalServer {
    /// Validates `url`. Does not connect.
    pub fn new(url: &str) -> Result<ExternalServer, BackendError> {
        let url = url.trim();
        let invalid = |reason: String| BackendError::InvalidUrl {
            url: url::redact(url),
            reason,
        };
        super::require_postgres_url(url)?;
        let secrets = url::secrets(url);
        url.parse::<PgConnectOptions>()
            .map_err(|err| invalid(url::scrub(&err.to_string(), &secrets)))?;
        Ok(ExternalServer {
            url: url.to_owned(),
            secrets,
        })
    }

    /// The URL as given, credentials included: for connecting, never for printing.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL with any password replaced by `***`.
    pub fn display_url(&self) -> String {
        url::redact(&self.url)
    }

    /// URL of `database` on this server, with the given URL's credentials and parameters.
    pub fn url_for(&self, database: &str) -> String {
        url::with_database(&self.url, database)
    }

    pub(crate) fn secrets(&self) -> &[String] {
        &self.secrets
    }
}

impl fmt::Debug for ExternalServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExternalServer")
            .field("url", &self.display_url())
            .finish()
    }
}
