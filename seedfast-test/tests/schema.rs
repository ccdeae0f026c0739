//! One schema with every construct the engine reads (tests/schemas/
//! every_construct.sql): introspection sees each of them, and seeding
//! honours them — Postgres itself rejects any row that breaks a constraint.

mod support;

use seedfast_test::schema::{Fold, Identity, SqlType, UniquePart, introspect};
use seedfast_test::{SeedOptions, seed};
use support::{conn, count, database_with_sql, repo};

async fn every_construct() -> seedfast_test::backend::TempDatabase {
    let sql = std::fs::read_to_string(repo().join("seedfast-test/tests/schemas/every_construct.sql")).unwrap();
    database_with_sql("every_construct", &[sql]).await
}

#[tokio::test]
async fn introspection_reads_every_construct() {
    let db = every_construct().await;
    let mut c = conn(&db).await;
    let schema = introspect(&mut c).await.unwrap();
    let customer = &schema.tables[schema.table("Shop", "Customer").expect("quoted mixed-case table in a non-public schema")];
    let col = |name: &str| &customer.columns[customer.column(name).unwrap_or_else(|| panic!("column {name}"))];

    assert_eq!(col("Id").identity, Some(Identity::Always));
    assert!(col("Id").sequence.is_some());
    assert_eq!(customer.primary_key, vec![customer.column("Id").unwrap()]);
    assert_eq!(col("select").ty, SqlType::Text, "reserved-word column");
    assert_eq!(col("tiny").ty, SqlType::Int2);
    assert_eq!(col("big").ty, SqlType::Int8);
    assert_eq!(col("score").ty, SqlType::Numeric { precision: Some(6), scale: Some(3) });
    assert_eq!(col("code").ty, SqlType::Char(4));
    assert_eq!(col("nick").ty, SqlType::Varchar(Some(12)));
    assert_eq!(col("active").ty, SqlType::Bool);
    assert_eq!(col("active").default.as_deref(), Some("true"));
    assert_eq!(col("born").ty, SqlType::Date);
    assert_eq!(col("seen_at").ty, SqlType::Timestamp);
    assert_eq!(col("created_at").ty, SqlType::Timestamptz);
    assert_eq!(col("external_id").ty, SqlType::Uuid);
    assert_eq!(col("attrs").ty, SqlType::Jsonb);
    assert_eq!(col("raw").ty, SqlType::Json);
    assert_eq!(col("tags").ty, SqlType::Array(Box::new(SqlType::Text)));
    assert_eq!(col("lucky").ty, SqlType::Array(Box::new(SqlType::Int4)));
    assert!(matches!(&col("mood").ty, SqlType::Enum { name, labels } if name == "Shop.mood" && labels == &["happy", "sad", "meh"]));
    match &col("discount").ty {
        SqlType::Domain { name, base, checks } => {
            assert_eq!(name, "Shop.percentage");
            assert_eq!(**base, SqlType::Numeric { precision: Some(5), scale: Some(2) });
            assert!(checks[0].expr.is_some(), "domain CHECK decoded: {}", checks[0].definition);
        }
        other => panic!("domain expected, got {other:?}"),
    }
    assert!(col("voucher").not_null, "NOT NULL comes from the domain");
    assert!(col("label").generated);
    assert!(col("Email").not_null && !col("big").not_null);

    let unique = |name: &str| customer.uniques.iter().find(|u| u.name == name).unwrap_or_else(|| panic!("unique {name}"));
    assert_eq!(unique("customer_code_tiny").parts, vec![UniquePart::Column(customer.column("code").unwrap()), UniquePart::Column(customer.column("tiny").unwrap())]);
    assert_eq!(unique("customer_email_ci").parts, vec![UniquePart::Folded { column: customer.column("Email").unwrap(), fold: Fold::Lower }]);
    assert_eq!(unique("customer_active_nick").predicate.as_deref(), Some("active"));
    for check in ["Customer_tiny_check", "Customer_status_check", "Customer_nick_check", "Customer_window", "Customer_score_check"] {
        let c = customer.checks.iter().find(|c| c.name == check).unwrap_or_else(|| panic!("check {check}"));
        assert!(c.expr.is_some(), "{check} decoded: {}", c.definition);
    }

    let line = &schema.tables[schema.table("Shop", "line").unwrap()];
    assert_eq!(line.primary_key.len(), 2, "composite primary key");
    let note = &schema.tables[schema.table("Shop", "line_note").unwrap()];
    assert_eq!(note.foreign_keys[0].columns.len(), 2, "composite foreign key");
    assert_eq!(col("Id").identity, Some(Identity::Always));
    let order = &schema.tables[schema.table("Shop", "order").unwrap()];
    assert!(order.columns[0].sequence.is_some() && order.columns[0].identity.is_none(), "serial");
    let employee_idx = schema.table("Shop", "employee").unwrap();
    assert_eq!(schema.tables[employee_idx].foreign_keys[0].ref_table, employee_idx, "self reference");
    let team = &schema.tables[schema.table("Shop", "team").unwrap()];
    assert!(team.foreign_keys[0].deferrable);
    let department = &schema.tables[schema.table("Shop", "department").unwrap()];
    assert!(!department.foreign_keys[0].deferrable && !department.columns[department.column("head_id").unwrap()].not_null);
}

#[tokio::test]
async fn seeding_honours_every_constraint() {
    let db = every_construct().await;
    let mut c = conn(&db).await;
    seed(&mut c, "40 customers", SeedOptions::default()).await.unwrap();
    assert_eq!(count(&mut c, r#"SELECT count(*) FROM "Shop"."Customer""#).await, 40);
    assert_eq!(count(&mut c, r#"SELECT count(*) FROM "Shop"."Customer" WHERE label IS NULL"#).await, 0, "generated column computed by Postgres");
    assert_eq!(count(&mut c, r#"SELECT count(DISTINCT status) FROM "Shop"."Customer" WHERE status NOT IN ('new','active','banned')"#).await, 0);
    // The identity sequence moved past the generated keys: the application can insert.
    let next: i64 = sqlx::query_scalar(
        r#"INSERT INTO "Shop"."Customer" ("Email", tiny, code, nick, external_id, attrs, mood, discount, voucher, status, starts_at, ends_at)
           VALUES ('new@example.com', 1, 'ZZZZ', 'newbie', gen_random_uuid(), '{}', 'happy', 1, 'ABCD', 'new', now(), now() + interval '1 day')
           RETURNING "Id""#,
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!(next, 41);
}

#[tokio::test]
async fn composite_keys_self_references_and_cycles() {
    let db = every_construct().await;
    let mut c = conn(&db).await;
    // line_note -> line (composite FK) -> order (reserved word) -> Customer, all added as required parents.
    let report = seed(&mut c, "30 line notes", SeedOptions::default()).await.unwrap();
    assert_eq!(count(&mut c, r#"SELECT count(*) FROM "Shop".line_note"#).await, 30);
    assert!(report.tables.iter().any(|t| t.table == "Shop.order" && t.reason.starts_with("required by")));

    seed(&mut c, "25 employees", SeedOptions::default()).await.unwrap();
    assert!(count(&mut c, r#"SELECT count(*) FROM "Shop".employee WHERE manager_id IS NOT NULL"#).await > 0, "self references are set");

    // team.lead_id -> member is NOT NULL but DEFERRABLE; member.team_id -> team is NOT NULL.
    seed(&mut c, "4 teams", SeedOptions::default()).await.unwrap();
    assert_eq!(count(&mut c, r#"SELECT count(*) FROM "Shop".team t JOIN "Shop".member m ON m.id = t.lead_id"#).await, 4);

    // department.head_id -> person is nullable, person.department_id is NOT NULL:
    // departments go first with a NULL head, set once the people exist.
    seed(&mut c, "12 people", SeedOptions::default()).await.unwrap();
    assert_eq!(count(&mut c, r#"SELECT count(*) FROM "Shop".person"#).await, 12);
    assert_eq!(count(&mut c, r#"SELECT count(*) FROM "Shop".department WHERE head_id IS NULL"#).await, 0, "cycle fixed up after insert");
}

#[tokio::test]
async fn updated_at_follows_created_at_without_a_check() {
    let db = database_with_sql(
        "timestamps",
        &["CREATE TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)".into()],
    )
    .await;
    let mut c = conn(&db).await;
    seed(&mut c, "500 notes", SeedOptions::default()).await.unwrap();
    assert_eq!(count(&mut c, "SELECT count(*) FROM notes WHERE updated_at < created_at").await, 0);
}
