//! A table written as it is generated (see `generate::Chunks`): a blocking
//! thread draws chunks of rows and encodes them as COPY text one chunk
//! ahead, while this side sends the previous chunk, so drawing overlaps the
//! server's work and memory holds a few chunks whatever the row count.
//!
//! Chunks the server must judge (every chunk when some CHECK was not read,
//! otherwise only the sampled first rows) are judged before they are sent:
//! the open COPY is finished first, since the probe needs the connection,
//! and the drawing thread waits for the verdict, since redrawn values of a
//! unique column must be taken before the next chunk is drawn. The other
//! chunks all go into one COPY.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use sqlx::PgConnection;
use sqlx::postgres::PgCopyIn;
use tokio::sync::mpsc;

use super::{CHUNK_BYTES, Progress, Written};
use crate::error::{Error, Result};
use crate::generate::{Chunks, Existing, GeneratedTable, Taken, encode_copy};
use crate::oracle::{Judged, TableJudge};
use crate::plan::Plan;
use crate::schema::{Schema, Table, quote_ident};

/// One chunk from the drawing thread.
struct Chunk {
    first_row: usize,
    rows: usize,
    /// The rows themselves, kept only when the server judges them (a
    /// verdict may redraw some); otherwise dropped once encoded.
    values: Option<GeneratedTable>,
    /// The rows as COPY text, for chunks that are not judged.
    text: Option<String>,
}

/// Streams the tables at plan indexes `indexes` (after the tables held in
/// memory were written), each followed by its sequences.
#[allow(clippy::too_many_arguments)]
pub async fn stream_all(
    conn: &mut PgConnection,
    schema: &Schema,
    plan: &Plan,
    existing: &Existing,
    indexes: &[usize],
    chunk_rows: usize,
    progress: &dyn Progress,
) -> Result<Vec<Written>> {
    let triggers = super::triggers(conn).await?;
    let mut judged = Judged::default();
    let mut written = Vec::with_capacity(indexes.len());
    for &index in indexes {
        let t = &schema.tables[plan.tables[index].table];
        let w = stream_table(conn, schema, plan, existing, index, chunk_rows, progress, &mut judged).await.map_err(|e| super::name_trigger(e, t, &triggers))?;
        super::advance_sequences(conn, t).await?;
        written.push(w);
    }
    Ok(written)
}

/// Generates, judges and writes the table at plan index `index` in chunks
/// of `chunk_rows` rows, inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn stream_table(
    conn: &mut PgConnection,
    schema: &Schema,
    plan: &Plan,
    existing: &Existing,
    index: usize,
    chunk_rows: usize,
    progress: &dyn Progress,
    judged: &mut Judged,
) -> Result<Written> {
    let started = Instant::now();
    let table = plan.tables[index].table;
    let t = &schema.tables[table];
    let cols = written_columns(t);
    let mut judge = TableJudge::new(conn, schema, table, index).await?;
    let judged_below = judge.as_ref().map_or(0, TableJudge::judged_below);
    let taken: Arc<Mutex<Vec<Option<Taken>>>> = Arc::default();
    let (tx, mut rx) = mpsc::channel::<Result<Chunk>>(1);
    let (verdict_tx, verdict_rx) = std::sync::mpsc::channel::<()>();
    let drawing = {
        let (schema, plan, existing, taken, cols) = (schema.clone(), plan.clone(), existing.clone(), taken.clone(), cols.clone());
        tokio::task::spawn_blocking(move || draw(&schema, &plan, &existing, index, chunk_rows, &taken, &cols, judged_below, &tx, &verdict_rx))
    };
    let total = match &plan.tables[index].rows {
        crate::plan::Rows::Exactly(n) => *n,
        _ => 0,
    };
    progress.table(&t.display_name(), total);
    let names: Vec<String> = cols.iter().map(|&c| quote_ident(&t.columns[c].name)).collect();
    let statement = format!("COPY {} ({}) FROM STDIN", t.qualified(), names.join(", "));
    let mut sent = 0u64;
    let outcome: Result<()> = async {
        let mut pending = rx.recv().await.transpose()?;
        while let Some(chunk) = pending.take() {
            let text = match chunk.values {
                Some(mut values) => {
                    let judge = judge.as_mut().expect("only judged chunks keep their values");
                    // The drawing thread waits for this verdict, so the taken
                    // sets are ours until it is given.
                    let mut sets = std::mem::take(&mut *taken.lock().unwrap_or_else(|e| e.into_inner()));
                    let result = judge.judge(conn, schema, plan, existing, &[], &mut values, Some(sets.as_mut_slice()), judged).await;
                    *taken.lock().unwrap_or_else(|e| e.into_inner()) = sets;
                    result?;
                    let _ = verdict_tx.send(());
                    encode(&values, &cols)
                }
                None => chunk.text.unwrap_or_default(),
            };
            // COPY numbers lines from its own start: say which table row its
            // line 1 is when that is not row 1.
            let context = match chunk.first_row {
                0 => format!("writing {total} rows into {}", t.display_name()),
                first => format!("writing {total} rows into {} (this COPY's line 1 is row {})", t.display_name(), first + 1),
            };
            let mut copy = conn.copy_in_raw(&statement).await.map_err(Error::db(context.clone()))?;
            send(&mut copy, &text, &context).await?;
            sent += chunk.rows as u64;
            progress.written(chunk.rows as u64);
            drop(text);
            // Chunks that are not judged join this COPY; a judged one needs
            // the connection, so the COPY ends before it.
            loop {
                match rx.recv().await {
                    None => break,
                    Some(Err(e)) => {
                        let _ = copy.abort("seedfast: generation failed").await;
                        return Err(e);
                    }
                    Some(Ok(next)) if next.values.is_some() => {
                        pending = Some(next);
                        break;
                    }
                    Some(Ok(next)) => {
                        send(&mut copy, next.text.as_deref().unwrap_or_default(), &context).await?;
                        sent += next.rows as u64;
                        progress.written(next.rows as u64);
                    }
                }
            }
            copy.finish().await.map_err(Error::db(context))?;
        }
        Ok(())
    }
    .await;
    // Stop the drawing thread (it sees the channel closed) and surface its
    // panic, if any, as generation would.
    drop(rx);
    drop(verdict_tx);
    if let Err(e) = drawing.await {
        std::panic::resume_unwind(e.into_panic());
    }
    outcome?;
    if let Some(judge) = judge {
        judge.drop(conn).await?;
    }
    Ok(Written { table, rows: sent, elapsed: started.elapsed() })
}

/// Sends COPY text in messages of at most `CHUNK_BYTES`.
async fn send(copy: &mut PgCopyIn<&mut PgConnection>, text: &str, context: &str) -> Result<()> {
    for piece in text.as_bytes().chunks(CHUNK_BYTES) {
        copy.send(piece).await.map_err(Error::db(context.to_string()))?;
    }
    Ok(())
}

/// The drawing thread: chunks until the table is done, the receiver is
/// gone (the seed failed) or a chunk cannot be drawn.
#[allow(clippy::too_many_arguments)]
fn draw(
    schema: &Schema,
    plan: &Plan,
    existing: &Existing,
    index: usize,
    chunk_rows: usize,
    taken: &Mutex<Vec<Option<Taken>>>,
    cols: &[usize],
    judged_below: usize,
    tx: &mpsc::Sender<Result<Chunk>>,
    verdict: &std::sync::mpsc::Receiver<()>,
) {
    let lock = || taken.lock().unwrap_or_else(|e| e.into_inner());
    let mut chunks = match Chunks::new(schema, plan, index, existing, chunk_rows, &mut lock()) {
        Ok(chunks) => chunks,
        Err(e) => {
            let _ = tx.blocking_send(Err(e));
            return;
        }
    };
    loop {
        let next = chunks.next_chunk(&mut lock());
        let chunk = match next {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return,
            Err(e) => {
                let _ = tx.blocking_send(Err(e));
                return;
            }
        };
        let judged = chunk.first_row < judged_below;
        let message = Chunk {
            first_row: chunk.first_row,
            rows: chunk.rows,
            text: (!judged).then(|| encode(&chunk, cols)),
            values: judged.then_some(chunk),
        };
        if tx.blocking_send(Ok(message)).is_err() {
            return;
        }
        if judged && verdict.recv().is_err() {
            return;
        }
    }
}

/// The columns COPY writes: all but those Postgres computes.
fn written_columns(t: &Table) -> Vec<usize> {
    (0..t.columns.len()).filter(|&c| !t.columns[c].generated).collect()
}

/// A chunk's rows as COPY text, one line per row.
fn encode(g: &GeneratedTable, cols: &[usize]) -> String {
    let mut out = String::with_capacity(g.rows * 16 * cols.len().max(1));
    for r in 0..g.rows {
        for (i, &c) in cols.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            match g.column(c).get(r) {
                Some(v) => encode_copy(v, &mut out),
                None => out.push_str("\\N"),
            }
        }
        out.push('\n');
    }
    out
}
