//! One seed from start to end: parse the scope, read the schema, plan,
//! generate, have the server judge the CHECKs, write, all against one
//! connection and inside one transaction.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};

use crate::error::{Error, Result};
use crate::plan::{self, Plan, SeedOptions};
use crate::report::SeedReport;
use crate::schema::{self, Schema};
use crate::generate::{Existing, GeneratedTable, Value};
use crate::upstream::{Upstream, UpstreamTable};
use crate::write::{NoProgress, Progress};
use crate::{generate, oracle, write};

/// Parses and resolves a scope against a schema without touching a
/// database: every scope and constraint error surfaces here.
pub fn plan(schema: &Schema, scope: &str, options: SeedOptions) -> Result<Plan> {
    let parsed = seedfast_scope::parse(scope)?;
    plan::resolve(schema, &parsed, options, &Upstream::default())
}

/// Seeds the database behind `conn` from a plain-language scope. Either every
/// row is written or, on any error, none is.
pub async fn seed(conn: &mut PgConnection, scope: &str, options: SeedOptions) -> Result<SeedReport> {
    seed_with(conn, scope, options, &Upstream::default()).await
}

/// Seeds one service of a system: contract columns take the values the
/// referenced services generated (`upstream`), and the tables other
/// services reference are handed back in the report's `exports`.
pub async fn seed_with(conn: &mut PgConnection, scope: &str, options: SeedOptions, upstream: &Upstream) -> Result<SeedReport> {
    seed_with_progress(conn, scope, options, upstream, &NoProgress).await
}

/// [`seed_with`], telling `progress` what it is doing as it goes.
pub async fn seed_with_progress(conn: &mut PgConnection, scope: &str, options: SeedOptions, upstream: &Upstream, progress: &dyn Progress) -> Result<SeedReport> {
    let report = seed_inner(conn, scope, options, upstream, progress).await;
    progress.done();
    report
}

async fn seed_inner(conn: &mut PgConnection, scope: &str, options: SeedOptions, upstream: &Upstream, progress: &dyn Progress) -> Result<SeedReport> {
    let started = Instant::now();
    let parsed = seedfast_scope::parse(scope)?;
    let mut tx = conn.begin().await.map_err(Error::db("starting the seed transaction"))?;
    // Before the first COPY: without it each table pays a delayed ACK over TCP.
    write::tcp_nodelay_everywhere();
    let schema = schema::introspect(&mut tx).await?;
    let plan = plan::resolve(&schema, &parsed, options, upstream)?;
    let planned: Vec<usize> = plan.tables.iter().map(|t| t.table).collect();
    let existing = write::existing(&mut tx, &schema, &planned).await?;
    progress.generating(&plan.tables.iter().map(|t| schema.tables[t.table].display_name()).collect::<Vec<_>>());
    let chunk_rows = chunk_rows();
    let streamed = streamed(&schema, &plan, upstream, chunk_rows);
    let mut generated = generate_watching(&mut tx, &schema, &plan, existing.clone(), streamed.clone()).await?;
    oracle::judge(&mut tx, &schema, &plan, &existing, &mut generated).await?;
    let mut written = write::write_all_with(&mut tx, &schema, &generated, progress).await?;
    // Tables too large to hold are generated as they are written, after
    // the others: nothing references them and they reference nothing.
    let streamed_written = write::stream_all(&mut tx, &schema, &plan, &existing, &streamed, chunk_rows, progress).await?;
    for (&index, w) in streamed.iter().zip(streamed_written) {
        generated[index] = streamed_keys(&schema, &plan, &existing, index, w.rows as usize);
        written[index] = w;
    }
    tx.commit().await.map_err(Error::db("committing the seed (a deferred foreign key may have failed)"))?;
    let mut report = SeedReport::new(scope, &schema, &plan, &generated, &written, started.elapsed());
    report.exports = exports(&schema, &generated, upstream);
    Ok(report)
}

/// Rows per chunk of a table generated as it is written.
/// Smaller chunks hold less (a chunk of users is about 4 MB as values);
/// larger ones gain nothing once the drawing keeps a chunk ahead.
const CHUNK_ROWS: usize = 10_000;

/// [`CHUNK_ROWS`], or SEEDFAST_CHUNK_ROWS: tests set it small to have a
/// modest table go through the chunked path.
fn chunk_rows() -> usize {
    std::env::var("SEEDFAST_CHUNK_ROWS").ok().and_then(|v| v.trim().parse().ok()).filter(|&n| n > 0).unwrap_or(CHUNK_ROWS)
}

/// Plan indexes of the tables generated chunk by chunk as they are
/// written: those larger than a chunk that `generate::streamable` allows
/// and that no other service takes values from. Every other table is held
/// whole, as before (`generate::streamable` says which passes need that).
fn streamed(schema: &Schema, plan: &Plan, upstream: &Upstream, chunk_rows: usize) -> Vec<usize> {
    (0..plan.tables.len())
        .filter(|&i| {
            let tp = &plan.tables[i];
            let t = &schema.tables[tp.table];
            let large = matches!(tp.rows, plan::Rows::Exactly(n) if n as usize > chunk_rows);
            let exported = upstream.export.iter().any(|(s, name)| *s == t.schema && *name == t.name);
            large && !exported && generate::streamable(schema, plan, i)
        })
        .collect()
}

/// What the report needs of a streamed table: its row count and its
/// numbered keys (a range; see `generate::streamable`).
fn streamed_keys(schema: &Schema, plan: &Plan, existing: &Existing, index: usize, rows: usize) -> GeneratedTable {
    let table = plan.tables[index].table;
    let t = &schema.tables[table];
    let mut g = GeneratedTable::empty(table, t.columns.len());
    g.rows = rows;
    if let [pk] = t.primary_key[..] {
        let start = existing.key_offsets.get(&(table, pk)).copied().unwrap_or(0);
        g.columns[pk] = Some((1..=rows as i64).map(|i| Value::Int(start + i)).collect());
    }
    g
}

/// How often the connection is checked while rows are generated.
const PING_EVERY: Duration = Duration::from_secs(1);

/// Generates on a blocking thread while checking the connection, so a
/// server lost during a long generation is reported within a second, not
/// at the first write minutes later.
async fn generate_watching(conn: &mut PgConnection, schema: &Schema, plan: &Plan, existing: Existing, streamed: Vec<usize>) -> Result<Vec<GeneratedTable>> {
    let (schema, plan) = (schema.clone(), plan.clone());
    let mut task = tokio::task::spawn_blocking(move || generate::generate_except(&schema, &plan, &existing, &streamed));
    loop {
        tokio::select! {
            done = &mut task => return done.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic())),
            _ = tokio::time::sleep(PING_EVERY) => conn.ping().await.map_err(Error::db("checking the connection while generating rows"))?,
        }
    }
}

/// The generated rows of the tables other services reference.
fn exports(schema: &Schema, generated: &[GeneratedTable], upstream: &Upstream) -> Vec<Arc<UpstreamTable>> {
    upstream
        .export
        .iter()
        .filter_map(|(schema_name, table)| {
            let t = schema.table(schema_name, table)?;
            let g = generated.iter().find(|g| g.table == t)?;
            let tb = &schema.tables[t];
            let columns = (0..tb.columns.len()).filter_map(|c| Some((tb.columns[c].name.clone(), g.columns[c].clone()?))).collect();
            Some(Arc::new(UpstreamTable { service: String::new(), schema: schema_name.clone(), table: table.clone(), columns }))
        })
        .collect()
}

/// Connects to `url` and seeds it; the URL is never echoed in errors.
pub async fn seed_url(url: &str, scope: &str, options: SeedOptions) -> Result<SeedReport> {
    seed_url_with_progress(url, scope, options, &NoProgress).await
}

/// [`seed_url`], telling `progress` what it is doing as it goes.
pub async fn seed_url_with_progress(url: &str, scope: &str, options: SeedOptions, progress: &dyn Progress) -> Result<SeedReport> {
    let mut conn = connect(url).await?;
    let report = seed_with_progress(&mut conn, scope, options, &Upstream::default(), progress).await;
    let _ = conn.close().await;
    report
}

pub async fn connect(url: &str) -> Result<PgConnection> {
    crate::backend::require_postgres_url(url)?;
    PgConnection::connect(url).await.map_err(|e| Error::Backend(crate::backend::connect_failed(e, url)))
}
