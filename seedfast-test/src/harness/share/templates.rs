//! Templates named by a hash of everything that shapes them, built once per
//! shared server and found again by every later process.
//!
//! A template is `seedfast_<kind>_<service>_<hash>_t` (the trailing `_t`
//! keeps the name from reading as `seedfast_<label>_<pid>_<n>`, which the
//! sweep of dead processes' databases would drop). It is built under the
//! advisory lock of its hash, so concurrent processes build it once; it
//! counts only once registered in `seedfast_templates` in the server's
//! `postgres` database, so a build cut short (a SIGKILL releases the lock
//! with the session) is found unregistered, dropped and built again.
//!
//! The registry row carries what the tests need besides the data (the seed
//! report, verified contracts) and `last_used`; templates unused for longer
//! than [`stale_after`] (their inputs changed, most likely) are dropped by
//! the next process that prepares the registry.

use std::future::Future;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

use crate::backend::Server;
use crate::error::{Error, Result};

/// The advisory lock that serialises creating the registry table and
/// sweeping stale templates (one bigint key; template locks use the hash).
const REGISTRY_LOCK: i64 = 0x5eed_fa57_0000_0001;

/// Templates unused for this long are dropped; at least a minute even when
/// the idle time is shorter, since a process clones a template it looked up
/// within seconds and a drop must not pull it from under that clone.
pub(crate) fn stale_after(idle_secs: u64) -> Duration {
    Duration::from_secs(idle_secs.max(60))
}

/// The template name of `kind` (`mig`, `tpl`) for `service` and `hash`.
pub(crate) fn name(kind: &str, service: &str, hash: u64) -> String {
    let mut service: String = service.chars().map(|c| c.to_ascii_lowercase()).map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    service.truncate(24);
    format!("seedfast_{kind}_{service}_{hash:016x}_t")
}

/// The hash of a template: the harness's key of its inputs (migration
/// files, scope, seed, scale, `now`, upstream keys), the generator's
/// version and the server's.
pub(crate) fn hash(kind: &str, key: u64, server_version: &str) -> u64 {
    super::super::project::fingerprint(&[kind.as_bytes(), &key.to_le_bytes(), env!("CARGO_PKG_VERSION").as_bytes(), server_version.as_bytes()])
}

async fn admin(server: &Server) -> Result<PgConnection> {
    super::super::templates::connect_settled(&server.url_for("postgres"))
        .await
        .map_err(Error::db(format!("connecting to the shared server at {}", server.display_url())))
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

async fn exec(conn: &mut PgConnection, sql: String, what: &str) -> Result<()> {
    sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *conn).await.map(drop).map_err(Error::db(what.to_string()))
}

/// The server's version, part of every template's hash.
pub(crate) async fn server_version(server: &Server) -> Result<String> {
    let mut conn = admin(server).await?;
    let version: String = sqlx::query_scalar("SELECT current_setting('server_version_num')")
        .fetch_one(&mut conn)
        .await
        .map_err(Error::db("reading the shared server's version".to_string()))?;
    let _ = conn.close().await;
    Ok(version)
}

/// Creates the registry table if need be, and drops the templates nobody
/// used for [`stale_after`]`(idle_secs)`. Once per process and server.
pub(crate) async fn prepare_registry(server: &Server, idle_secs: u64) -> Result<()> {
    let mut conn = admin(server).await?;
    let result = async {
        sqlx::query("SELECT pg_advisory_lock($1)").bind(REGISTRY_LOCK).execute(&mut conn).await.map_err(Error::db("locking the template registry".to_string()))?;
        exec(
            &mut conn,
            "CREATE TABLE IF NOT EXISTS seedfast_templates (
                name text PRIMARY KEY,
                hash text NOT NULL,
                report jsonb,
                builds integer NOT NULL DEFAULT 1,
                created_at timestamptz NOT NULL DEFAULT now(),
                last_used timestamptz NOT NULL DEFAULT now())"
                .to_string(),
            "creating the template registry seedfast_templates",
        )
        .await?;
        let stale: Vec<(String, String)> = sqlx::query_as("SELECT name, hash FROM seedfast_templates WHERE last_used < now() - make_interval(secs => $1)")
            .bind(stale_after(idle_secs).as_secs_f64())
            .fetch_all(&mut conn)
            .await
            .map_err(Error::db("listing stale templates".to_string()))?;
        for (name, hash) in stale {
            drop_template(&mut conn, &name, &hash).await;
        }
        Ok(())
    }
    .await;
    let _ = sqlx::query("SELECT pg_advisory_unlock($1)").bind(REGISTRY_LOCK).execute(&mut conn).await;
    let _ = conn.close().await;
    result
}

fn lock_key(hash: &str) -> i64 {
    u64::from_str_radix(hash, 16).map_or(0, |h| h as i64)
}

/// Drops one stale template, unless a process is building or using it
/// right now (its lock is taken, or the drop fails because it is being
/// cloned): then it is left for a later sweep.
async fn drop_template(conn: &mut PgConnection, name: &str, hash: &str) {
    let key = lock_key(hash);
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(&mut *conn).await.unwrap_or(false);
    if !free {
        return;
    }
    let dropped = async {
        exec(conn, format!("ALTER DATABASE {} IS_TEMPLATE false", quote(name)), "unmarking a stale template").await?;
        if let Err(e) = exec(conn, format!("DROP DATABASE IF EXISTS {}", quote(name)), "dropping a stale template").await {
            let _ = exec(conn, format!("ALTER DATABASE {} IS_TEMPLATE true", quote(name)), "marking a template again").await;
            return Err(e);
        }
        sqlx::query("DELETE FROM seedfast_templates WHERE name = $1").bind(name).execute(&mut *conn).await.map_err(Error::db("unregistering a stale template".to_string()))?;
        Ok::<(), Error>(())
    }
    .await;
    // A template whose database is already gone is unregistered all the same.
    if dropped.is_err() {
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)").bind(name).fetch_one(&mut *conn).await.unwrap_or(true);
        if !exists {
            let _ = sqlx::query("DELETE FROM seedfast_templates WHERE name = $1").bind(name).execute(&mut *conn).await;
        }
    }
    let _ = sqlx::query("SELECT pg_advisory_unlock($1)").bind(key).execute(&mut *conn).await;
}

/// The template `name` (hash `hash`) with what was stored beside it, built
/// by `build` into a database of that name when it is not registered yet.
/// `build` runs at most once across all processes for one hash (under its
/// advisory lock), and must leave no connection open on the database.
pub(crate) async fn obtain<T, F, Fut>(server: &Server, name: &str, hash: u64, build: F) -> Result<T>
where
    T: Serialize + DeserializeOwned,
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let hash_text = format!("{hash:016x}");
    let key = hash as i64;
    let mut conn = admin(server).await?;
    sqlx::query("SELECT pg_advisory_lock($1)").bind(key).execute(&mut conn).await.map_err(Error::db(format!("locking template `{name}`")))?;
    let result = obtain_locked(&mut conn, name, &hash_text, build).await;
    let _ = sqlx::query("SELECT pg_advisory_unlock($1)").bind(key).execute(&mut conn).await;
    let _ = conn.close().await;
    result
}

async fn obtain_locked<T, F, Fut>(conn: &mut PgConnection, name: &str, hash: &str, build: F) -> Result<T>
where
    T: Serialize + DeserializeOwned,
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let found: Option<(Option<serde_json::Value>, bool)> = sqlx::query_as(
        "SELECT r.report, d.datname IS NOT NULL FROM seedfast_templates r LEFT JOIN pg_database d ON d.datname = r.name WHERE r.name = $1",
    )
    .bind(name)
    .fetch_optional(&mut *conn)
    .await
    .map_err(Error::db(format!("looking up template `{name}` in seedfast_templates")))?;
    let mut builds = 1i32;
    if let Some((stored, exists)) = found {
        if exists {
            let decoded = stored.map(serde_json::from_value::<T>).unwrap_or_else(|| serde_json::from_value(serde_json::Value::Null));
            match decoded {
                Ok(value) => {
                    sqlx::query("UPDATE seedfast_templates SET last_used = now() WHERE name = $1")
                        .bind(name)
                        .execute(&mut *conn)
                        .await
                        .map_err(Error::db(format!("marking template `{name}` used")))?;
                    return Ok(value);
                }
                // Written by another version of the layout: build it again.
                Err(e) => eprintln!("seedfast: rebuilding template `{name}`: its stored report does not read back ({e})"),
            }
        }
        builds = sqlx::query_scalar("SELECT builds + 1 FROM seedfast_templates WHERE name = $1").bind(name).fetch_one(&mut *conn).await.unwrap_or(1);
    }
    // An unregistered database of this name is a build cut short.
    let leftover: Option<bool> = sqlx::query_scalar("SELECT datistemplate FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await
        .map_err(Error::db(format!("looking for a leftover of template `{name}`")))?;
    if let Some(is_template) = leftover {
        if is_template {
            exec(conn, format!("ALTER DATABASE {} IS_TEMPLATE false", quote(name)), "unmarking a leftover template").await?;
        }
        exec(conn, format!("DROP DATABASE {} WITH (FORCE)", quote(name)), "dropping a leftover template").await?;
    }
    let value = build(name.to_string()).await?;
    let stored = serde_json::to_value(&value).map_err(|e| Error::Usage(format!("storing the report of template `{name}`: {e}")))?;
    exec(conn, format!("ALTER DATABASE {} IS_TEMPLATE true", quote(name)), "marking the new template").await?;
    sqlx::query(
        "INSERT INTO seedfast_templates (name, hash, report, builds) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET hash = $2, report = $3, builds = $4, created_at = now(), last_used = now()",
    )
    .bind(name)
    .bind(hash)
    .bind(stored)
    .bind(builds)
    .execute(&mut *conn)
    .await
    .map_err(Error::db(format!("registering template `{name}`")))?;
    Ok(value)
}

/// Drops the database `name` after a failed build (never registered).
pub(crate) async fn drop_failed(server: &Server, name: &str) {
    if let Ok(mut conn) = admin(server).await {
        let _ = exec(&mut conn, format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote(name)), "dropping a failed template").await;
        let _ = conn.close().await;
    }
}

/// `CREATE DATABASE name [TEMPLATE template]`, copying files (see
/// `backend::copies_files` for why).
pub(crate) async fn create(server: &Server, name: &str, template: Option<&str>) -> Result<()> {
    let mut conn = admin(server).await?;
    let mut sql = format!("CREATE DATABASE {}", quote(name));
    if let Some(template) = template {
        sql.push_str(&format!(" TEMPLATE {}", quote(template)));
        if conn.server_version_num().is_some_and(|v| v >= 150_000) {
            sql.push_str(" STRATEGY FILE_COPY");
        }
    }
    let result = exec(&mut conn, sql, &format!("creating template database `{name}`")).await;
    let _ = conn.close().await;
    result
}

/// The rows of the registry, for tests and `seedfast clean`: (name, builds).
pub async fn registered(url: &str) -> Result<Vec<(String, i32)>> {
    let mut conn = PgConnection::connect(url).await.map_err(Error::db("connecting to the shared server".to_string()))?;
    let rows = sqlx::query_as("SELECT name, builds FROM seedfast_templates ORDER BY name")
        .fetch_all(&mut conn)
        .await
        .map_err(Error::db("reading seedfast_templates".to_string()));
    let _ = conn.close().await;
    rows
}
