//! The phrasing corpus (tests/corpus/phrasings.txt): every sentence is
//! seeded into a fresh database of its schema and checked with its SQL.
//! Reports how many are seeded as meant and holds a floor, so a change that
//! makes the tool understand fewer sentences fails here.

mod support;

use seedfast_test::SeedOptions;
use sqlx::AssertSqlSafe;
use support::{conn, database_with_sql};

const CORPUS: &str = include_str!("corpus/phrasings.txt");

/// `SEEDFAST_CORPUS=path` runs another corpus file of the same form (a
/// held-out set kept outside the repository); its schemas are still read
/// from tests/schemas/words_<name>.sql, or beside the file as <name>.sql.
const CORPUS_ENV: &str = "SEEDFAST_CORPUS";

/// At least this share of the corpus, in percent, is seeded as meant.
const FLOOR_PERCENT: usize = 90;

fn schema(name: &str, beside: Option<&std::path::Path>) -> String {
    let ours = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/schemas/words_{name}.sql"));
    let theirs = beside.map(|dir| dir.join(format!("{name}.sql")));
    for path in theirs.iter().chain(std::iter::once(&ours)) {
        if let Ok(sql) = std::fs::read_to_string(path) {
            return sql;
        }
    }
    panic!("corpus names unknown schema `{name}`: no {}", ours.display())
}

#[tokio::test]
async fn the_corpus_is_seeded_as_meant() {
    let external = std::env::var(CORPUS_ENV).ok().filter(|p| !p.is_empty());
    let text = match &external {
        Some(path) => std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{CORPUS_ENV}={path}: {e}")),
        None => CORPUS.to_string(),
    };
    let beside = external.as_deref().and_then(|p| std::path::Path::new(p).parent().map(|d| d.to_path_buf()));
    let lines: Vec<(&str, &str, &str)> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.splitn(3, " | ").collect();
            assert_eq!(
                parts.len(),
                3,
                "corpus line `{l}` is not `schema | scope | check`"
            );
            (parts[0].trim(), parts[1].trim(), parts[2].trim())
        })
        .collect();
    assert!(
        external.is_some() || lines.len() >= 60,
        "the corpus has {} sentences, fewer than 60",
        lines.len()
    );
    let mut misread = Vec::new();
    for (schema_name, scope, check) in &lines {
        let db = database_with_sql("corpus", &[schema(schema_name, beside.as_deref())]).await;
        let mut c = conn(&db).await;
        let outcome = match seedfast_test::seed(&mut c, scope, SeedOptions::default()).await {
            Err(e) => Err(format!(
                "refused: {}",
                e.to_string().lines().next().unwrap_or_default()
            )),
            Ok(_) => match sqlx::query_scalar::<_, Option<bool>>(AssertSqlSafe(check.to_string()))
                .fetch_one(&mut c)
                .await
            {
                Ok(Some(true)) => Ok(()),
                Ok(_) => Err("seeded, but the rows are not what the sentence means".to_string()),
                Err(e) => panic!("corpus check `{check}` does not run: {e}"),
            },
        };
        if let Err(why) = outcome {
            misread.push(format!("{schema_name}: {scope}\n    {why}"));
        }
    }
    let meant = lines.len() - misread.len();
    println!(
        "corpus: {meant} of {} sentences seeded as meant ({}%)",
        lines.len(),
        meant * 100 / lines.len()
    );
    for m in &misread {
        println!("  not understood: {m}");
    }
    assert!(
        meant * 100 >= FLOOR_PERCENT * lines.len(),
        "only {meant} of {} seeded as meant:\n{}",
        lines.len(),
        misread.join("\n")
    );
}
