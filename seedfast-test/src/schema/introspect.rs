//! Reads the schema from `pg_catalog` in six queries, whatever the number of
//! tables, then assembles the model in memory.

use std::collections::HashMap;

use sqlx::PgConnection;

use super::check::parse_check;
use super::{
    Check, Column, Exclusion, Fold, ForeignKey, Identity, Partition, PartitionBound, PartitionStrategy, Partitioning, Schema, SqlType, Table,
    Unique, UniquePart,
};
use crate::error::{Error, Result};

/// Schemas that belong to Postgres or to tools, never to the application.
const SYSTEM_SCHEMA_FILTER: &str =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

/// sqlx's bookkeeping table: migrations are not data to seed.
const IGNORED_TABLES: &[&str] = &["_sqlx_migrations"];

struct TypeRow {
    schema: String,
    name: String,
    typtype: String,
    elem: i64,
    base: i64,
    typmod: i32,
}

pub async fn introspect(conn: &mut PgConnection) -> Result<Schema> {
    let table_rows: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT c.oid::int8, n.nspname::text, c.relname::text
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {SYSTEM_SCHEMA_FILTER}
          ORDER BY n.nspname, c.relname"
    )))
    .fetch_all(&mut *conn)
    .await
    .map_err(Error::db("reading tables"))?;
    let table_rows: Vec<_> = table_rows.into_iter().filter(|(_, _, name)| !IGNORED_TABLES.contains(&name.as_str())).collect();
    let oids: Vec<i64> = table_rows.iter().map(|(oid, _, _)| *oid).collect();

    let types = load_types(conn).await?;

    type ColumnRow = (i64, i16, String, i64, i32, bool, Option<String>, String, String, Option<String>);
    let column_rows: Vec<ColumnRow> = sqlx::query_as(
        "SELECT a.attrelid::int8, a.attnum, a.attname::text, a.atttypid::int8, a.atttypmod, a.attnotnull,
                pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
                pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname)
           FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE a.attrelid = ANY($1::int8[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY a.attrelid, a.attnum",
    )
    .bind(&oids)
    .fetch_all(&mut *conn)
    .await
    .map_err(Error::db("reading columns"))?;

    type ConstraintRow = (i64, String, String, Vec<i16>, i64, Option<Vec<i16>>, bool, String);
    let constraint_rows: Vec<ConstraintRow> = sqlx::query_as(
        "SELECT conrelid::int8, conname::text, contype::text, conkey, confrelid::int8, confkey, condeferrable,
                pg_get_constraintdef(oid)
           FROM pg_constraint
          WHERE conrelid = ANY($1::int8[]::oid[]) AND contype IN ('p', 'u', 'c', 'f')
          ORDER BY conrelid, conname",
    )
    .bind(&oids)
    .fetch_all(&mut *conn)
    .await
    .map_err(Error::db("reading constraints"))?;

    // Unique indexes that are not backing a constraint (those come above).
    type IndexRow = (i64, String, Vec<i16>, Vec<String>, Option<String>);
    let index_rows: Vec<IndexRow> = sqlx::query_as(
        "SELECT x.indrelid::int8, i.relname::text, string_to_array(x.indkey::text, ' ')::int2[],
                ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) k ORDER BY k),
                pg_get_expr(x.indpred, x.indrelid)
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
          WHERE x.indrelid = ANY($1::int8[]::oid[]) AND x.indisunique
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u'))
          ORDER BY x.indrelid, i.relname",
    )
    .bind(&oids)
    .fetch_all(&mut *conn)
    .await
    .map_err(Error::db("reading unique indexes"))?;

    // Assemble. Column attnums map to positions (dropped columns leave gaps).
    let table_index: HashMap<i64, usize> = oids.iter().enumerate().map(|(i, oid)| (*oid, i)).collect();
    let mut tables: Vec<Table> = table_rows
        .iter()
        .map(|(_, schema, name)| Table {
            schema: schema.clone(),
            name: name.clone(),
            columns: Vec::new(),
            primary_key: Vec::new(),
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            exclusions: Vec::new(),
            partitioning: None,
        })
        .collect();
    let mut attnums: Vec<HashMap<i16, usize>> = vec![HashMap::new(); tables.len()];
    let mut citext: Vec<(usize, usize)> = Vec::new();
    for (relid, attnum, name, typid, typmod, not_null, default, identity, generated, sequence) in column_rows {
        let t = table_index[&relid];
        let ty = resolve_type(&types, typid, typmod);
        if types.by_oid.get(&typid).is_some_and(|t| t.name == "citext") {
            citext.push((t, tables[t].columns.len()));
        }
        let domain_not_null = types.domain_not_null.contains(&typid);
        attnums[t].insert(attnum, tables[t].columns.len());
        tables[t].columns.push(Column {
            name,
            ty,
            not_null: not_null || domain_not_null,
            default,
            identity: match identity.as_str() {
                "a" => Some(Identity::Always),
                "d" => Some(Identity::ByDefault),
                _ => None,
            },
            sequence,
            generated: generated == "s",
        });
    }

    let positions = |t: usize, keys: &[i16]| -> Vec<usize> { keys.iter().filter_map(|k| attnums[t].get(k).copied()).collect() };
    for (relid, name, kind, keys, ref_relid, ref_keys, deferrable, definition) in constraint_rows {
        let t = table_index[&relid];
        match kind.as_str() {
            "p" => tables[t].primary_key = positions(t, &keys),
            "u" => {
                let parts = positions(t, &keys).into_iter().map(UniquePart::Column).collect();
                tables[t].uniques.push(Unique { name, parts, predicate: None });
            }
            "c" => {
                let expr = parse_check(&definition);
                tables[t].checks.push(Check { name, definition, expr });
            }
            "f" => {
                // A reference into a table we do not seed (a system catalog)
                // cannot be honoured; skipping it would write invalid rows, so
                // the plan reports it when the column is needed.
                let Some(&rt) = table_index.get(&ref_relid) else { continue };
                let columns = positions(t, &keys);
                let ref_columns = positions(rt, ref_keys.as_deref().unwrap_or_default());
                tables[t].foreign_keys.push(ForeignKey { name, columns, ref_table: rt, ref_columns, deferrable });
            }
            _ => {}
        }
    }

    for (relid, name, keys, key_defs, predicate) in index_rows {
        let t = table_index[&relid];
        let table = &tables[t];
        let parts = keys
            .iter()
            .zip(&key_defs)
            .map(|(&attnum, def)| match attnums[t].get(&attnum) {
                Some(&c) if attnum != 0 => UniquePart::Column(c),
                _ => expression_part(table, def),
            })
            .collect();
        tables[t].uniques.push(Unique { name, parts, predicate });
    }

    // citext compares case-insensitively, so a unique citext column is
    // unique as `lower(...)` is.
    for (t, c) in citext {
        for u in tables[t].uniques.iter_mut().filter(|u| u.parts == [UniquePart::Column(c)]) {
            u.parts = vec![UniquePart::Folded { column: c, fold: Fold::Lower }];
        }
    }

    let exclusion_rows: Vec<(i64, String, Vec<i16>, Vec<String>)> = sqlx::query_as(
        "SELECT co.conrelid::int8, co.conname::text, co.conkey,
                ARRAY(SELECT o.oprname::text FROM unnest(co.conexclop) WITH ORDINALITY u(op, i)
                        JOIN pg_operator o ON o.oid = u.op ORDER BY u.i)
           FROM pg_constraint co
          WHERE co.conrelid = ANY($1::int8[]::oid[]) AND co.contype = 'x'
          ORDER BY co.conrelid, co.conname",
    )
    .bind(&oids)
    .fetch_all(&mut *conn)
    .await
    .map_err(Error::db("reading exclusion constraints"))?;
    for (relid, name, keys, operators) in exclusion_rows {
        let t = table_index[&relid];
        let elements = keys.iter().zip(operators).map(|(k, op)| (attnums[t].get(k).copied().filter(|_| *k != 0), op)).collect();
        tables[t].exclusions.push(Exclusion { name, elements });
    }

    partitions(conn, &oids, &table_index, &attnums, &mut tables).await?;
    Ok(Schema { tables })
}

/// Partitioned tables are seeded through their parent: each parent learns
/// its key and its partitions' bounds, and a foreign key declared on the
/// partitions (but not on the parent) counts as the parent's.
async fn partitions(
    conn: &mut PgConnection,
    oids: &[i64],
    table_index: &HashMap<i64, usize>,
    attnums: &[HashMap<i16, usize>],
    tables: &mut [Table],
) -> Result<()> {
    let keys: Vec<(i64, String, Vec<i16>)> = sqlx::query_as(
        "SELECT partrelid::int8, partstrat::text, string_to_array(partattrs::text, ' ')::int2[]
           FROM pg_partitioned_table WHERE partrelid = ANY($1::int8[]::oid[]) ORDER BY partrelid",
    )
    .bind(oids)
    .fetch_all(&mut *conn)
    .await
    .map_err(Error::db("reading partition keys"))?;
    if keys.is_empty() {
        return Ok(());
    }
    let parts: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT i.inhparent::int8, n.nspname::text, c.relname::text, pg_get_expr(c.relpartbound, c.oid)
           FROM pg_class c
           JOIN pg_inherits i ON i.inhrelid = c.oid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relispartition AND i.inhparent = ANY($1::int8[]::oid[])
          ORDER BY i.inhparent, n.nspname, c.relname",
    )
    .bind(oids)
    .fetch_all(&mut *conn)
    .await
    .map_err(Error::db("reading partitions"))?;
    for (relid, strategy, attrs) in keys {
        let t = table_index[&relid];
        let strategy = match strategy.as_str() {
            "r" => PartitionStrategy::Range,
            "l" => PartitionStrategy::List,
            _ => PartitionStrategy::Hash,
        };
        let key = attrs.iter().map(|a| attnums[t].get(a).copied().filter(|_| *a != 0)).collect();
        let partitions = parts
            .iter()
            .filter(|(parent, ..)| *parent == relid)
            .map(|(_, schema, name, definition)| Partition {
                name: if schema == "public" { name.clone() } else { format!("{schema}.{name}") },
                bound: parse_bound(definition),
                definition: definition.clone(),
            })
            .collect();
        tables[t].partitioning = Some(Partitioning { strategy, key, partitions });
    }

    // Foreign keys the partitions declare themselves (`conparentid = 0`:
    // not cloned from one of the parent's), matched across partitions by
    // column names, since attribute numbers may differ between partitions.
    type PartFkRow = (i64, i64, String, Vec<String>, i64, Vec<i16>, bool);
    let fk_rows: Vec<PartFkRow> = sqlx::query_as(
        "SELECT i.inhparent::int8, co.conrelid::int8, co.conname::text,
                ARRAY(SELECT a.attname::text FROM unnest(co.conkey) WITH ORDINALITY k(num, ord)
                        JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num ORDER BY k.ord),
                co.confrelid::int8, co.confkey, co.condeferrable
           FROM pg_constraint co
           JOIN pg_inherits i ON i.inhrelid = co.conrelid
           JOIN pg_class c ON c.oid = co.conrelid
          WHERE co.contype = 'f' AND c.relispartition AND co.conparentid = 0 AND i.inhparent = ANY($1::int8[]::oid[])
          ORDER BY i.inhparent, co.conname",
    )
    .bind(oids)
    .fetch_all(&mut *conn)
    .await
    .map_err(Error::db("reading foreign keys of partitions"))?;
    // (parent, columns, referenced table, referenced columns) -> the
    // partitions declaring it: (partition, constraint name, deferrable).
    type FkGroup = ((i64, Vec<String>, i64, Vec<i16>), Vec<(i64, String, bool)>);
    let mut groups: Vec<FkGroup> = Vec::new();
    for (parent, part, name, columns, ref_relid, ref_keys, deferrable) in fk_rows {
        let key = (parent, columns, ref_relid, ref_keys);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push((part, name, deferrable)),
            None => groups.push((key, vec![(part, name, deferrable)])),
        }
    }
    for ((parent, columns, ref_relid, ref_keys), members) in groups {
        let t = table_index[&parent];
        let Some(&rt) = table_index.get(&ref_relid) else { continue };
        // A key on only some partitions is honoured for every row too:
        // stricter than needed, and the row may land in any of them.
        if members.is_empty() {
            continue;
        }
        let Some(cols) = columns.iter().map(|c| tables[t].column(c)).collect::<Option<Vec<usize>>>() else { continue };
        let ref_columns: Vec<usize> = ref_keys.iter().filter_map(|k| attnums[rt].get(k).copied()).collect();
        if tables[t].foreign_keys.iter().any(|fk| fk.columns == cols && fk.ref_table == rt && fk.ref_columns == ref_columns) {
            continue;
        }
        let deferrable = members.iter().all(|m| m.2);
        tables[t].foreign_keys.push(ForeignKey { name: members[0].1.clone(), columns: cols, ref_table: rt, ref_columns, deferrable });
    }
    Ok(())
}

/// Reads `pg_get_expr(relpartbound)`: `DEFAULT`, `FOR VALUES FROM (...) TO
/// (...)`, `FOR VALUES IN (...)` or `FOR VALUES WITH (modulus m, remainder r)`.
fn parse_bound(definition: &str) -> PartitionBound {
    let d = definition.trim();
    if d.eq_ignore_ascii_case("DEFAULT") {
        return PartitionBound::Default;
    }
    let Some(rest) = d.strip_prefix("FOR VALUES ") else { return PartitionBound::Hash };
    if let Some(list) = rest.strip_prefix("IN ") {
        return PartitionBound::List(bound_literals(list));
    }
    if let Some(range) = rest.strip_prefix("FROM ")
        && let Some((from, to)) = split_range(range)
    {
        return PartitionBound::Range { from: bound_literals(from), to: bound_literals(to) };
    }
    PartitionBound::Hash
}

/// `(a, b) TO (c, d)` split at the ` TO ` outside quotes.
fn split_range(s: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, ch) in s.char_indices() {
        match ch {
            '\'' => quoted = !quoted,
            'T' if !quoted && s[i..].starts_with("TO (") && s[..i].ends_with(' ') => return Some((s[..i].trim(), s[i + 2..].trim())),
            _ => {}
        }
    }
    None
}

/// `('a', 'it''s', 5, MINVALUE, NULL)` as texts; `None` for MINVALUE,
/// MAXVALUE and NULL.
fn bound_literals(s: &str) -> Vec<Option<String>> {
    let inner = s.trim().strip_prefix('(').and_then(|s| s.strip_suffix(')')).unwrap_or(s);
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let mut item = String::new();
        let mut quoted = false;
        if first == '\'' {
            quoted = true;
            chars.next();
            while let Some(c) = chars.next() {
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                        item.push('\'');
                        continue;
                    }
                    break;
                }
                item.push(c);
            }
        }
        // Unquoted literals (numbers, MINVALUE) run to the next comma; a
        // quoted one may carry a cast (`'a'::text`), which is skipped.
        for c in chars.by_ref() {
            if c == ',' {
                break;
            }
            if !quoted {
                item.push(c);
            }
        }
        let item = if quoted { item } else { item.trim().to_string() };
        let unbounded = !quoted && ["MINVALUE", "MAXVALUE", "NULL"].iter().any(|k| item.eq_ignore_ascii_case(k));
        out.push((!unbounded).then_some(item));
    }
    out
}

/// `lower("Email")` folds case; any other expression is kept as text with
/// the columns it mentions.
fn expression_part(table: &Table, def: &str) -> UniquePart {
    let unquoted = def.replace('"', "");
    for (prefix, fold) in [("lower(", Fold::Lower), ("upper(", Fold::Upper)] {
        if let Some(inner) = unquoted.strip_prefix(prefix).and_then(|s| s.strip_suffix(')')) {
            let inner = inner.split("::").next().unwrap_or(inner).trim_matches(|c| c == '(' || c == ')');
            if let Some(column) = table.column(inner) {
                return UniquePart::Folded { column, fold };
            }
        }
    }
    let columns = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| unquoted.split(|ch: char| !(ch.is_alphanumeric() || ch == '_')).any(|w| w == c.name))
        .map(|(i, _)| i)
        .collect();
    UniquePart::Expression { text: def.to_string(), columns }
}

struct Types {
    by_oid: HashMap<i64, TypeRow>,
    enum_labels: HashMap<i64, Vec<String>>,
    domain_checks: HashMap<i64, Vec<Check>>,
    domain_not_null: Vec<i64>,
}

async fn load_types(conn: &mut PgConnection) -> Result<Types> {
    type TypeQueryRow = (i64, String, String, String, i64, i64, i32, bool);
    let rows: Vec<TypeQueryRow> = sqlx::query_as(
        "SELECT t.oid::int8, n.nspname::text, t.typname::text, t.typtype::text, t.typelem::int8, t.typbasetype::int8,
                t.typtypmod, t.typnotnull
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE t.typtype IN ('b', 'e', 'd', 'r', 'm', 'c') OR t.typcategory = 'A'",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(Error::db("reading types"))?;
    let mut domain_not_null = Vec::new();
    let by_oid = rows
        .into_iter()
        .map(|(oid, schema, name, typtype, elem, base, typmod, not_null)| {
            if not_null {
                domain_not_null.push(oid);
            }
            (oid, TypeRow { schema, name, typtype, elem, base, typmod })
        })
        .collect();
    let mut enum_labels: HashMap<i64, Vec<String>> = HashMap::new();
    let labels: Vec<(i64, String)> =
        sqlx::query_as("SELECT enumtypid::int8, enumlabel::text FROM pg_enum ORDER BY enumtypid, enumsortorder")
            .fetch_all(&mut *conn)
            .await
            .map_err(Error::db("reading enum labels"))?;
    for (oid, label) in labels {
        enum_labels.entry(oid).or_default().push(label);
    }
    let mut domain_checks: HashMap<i64, Vec<Check>> = HashMap::new();
    let checks: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT contypid::int8, conname::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE contypid <> 0 AND contype = 'c' ORDER BY conname",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(Error::db("reading domain constraints"))?;
    for (oid, name, definition) in checks {
        let expr = parse_check(&definition);
        domain_checks.entry(oid).or_default().push(Check { name, definition, expr });
    }
    Ok(Types { by_oid, enum_labels, domain_checks, domain_not_null })
}


fn resolve_type(types: &Types, oid: i64, typmod: i32) -> SqlType {
    let Some(t) = types.by_oid.get(&oid) else { return SqlType::Other(format!("oid {oid}")) };
    let qualified = if t.schema == "pg_catalog" || t.schema == "public" { t.name.clone() } else { format!("{}.{}", t.schema, t.name) };
    match t.typtype.as_str() {
        "e" => return SqlType::Enum { name: qualified, labels: types.enum_labels.get(&oid).cloned().unwrap_or_default() },
        "d" => {
            return SqlType::Domain {
                name: qualified,
                base: Box::new(resolve_type(types, t.base, t.typmod)),
                checks: types.domain_checks.get(&oid).cloned().unwrap_or_default(),
            };
        }
        _ => {}
    }
    if t.elem != 0 && t.name.starts_with('_') {
        return SqlType::Array(Box::new(resolve_type(types, t.elem, typmod)));
    }
    // typmod carries lengths and numeric precision, offset by the 4-byte header.
    let len = (typmod >= 4).then(|| (typmod - 4) as u32);
    match t.name.as_str() {
        "int2" => SqlType::Int2,
        "int4" => SqlType::Int4,
        "int8" => SqlType::Int8,
        "numeric" => SqlType::Numeric {
            precision: len.map(|l| (l >> 16) & 0xffff),
            scale: len.map(|l| l & 0xffff),
        },
        "float4" => SqlType::Float4,
        "float8" => SqlType::Float8,
        "text" | "name" | "citext" => SqlType::Text,
        "varchar" => SqlType::Varchar(len),
        "bpchar" => SqlType::Char(len.unwrap_or(1)),
        "bool" => SqlType::Bool,
        "date" => SqlType::Date,
        "timestamp" => SqlType::Timestamp,
        "timestamptz" => SqlType::Timestamptz,
        "time" => SqlType::Time,
        "uuid" => SqlType::Uuid,
        "json" => SqlType::Json,
        "jsonb" => SqlType::Jsonb,
        "bytea" => SqlType::Bytea,
        // The generator reads these by name (generate/types.rs); the length
        // of bit strings is part of it, as is the quoting `"char"` needs.
        "bit" => SqlType::Other(format!("bit({})", if typmod > 0 { typmod } else { 1 })),
        "varbit" if typmod > 0 => SqlType::Other(format!("varbit({typmod})")),
        "char" => SqlType::Other("\"char\"".into()),
        _ => SqlType::Other(qualified),
    }
}

#[cfg(test)]
mod should {
    use super::*;

    #[test]
    fn read_range_list_hash_and_default_bounds() {
        assert_eq!(
            parse_bound("FOR VALUES FROM ('2025-01-01') TO ('2025-02-01')"),
            PartitionBound::Range { from: vec![Some("2025-01-01".into())], to: vec![Some("2025-02-01".into())] }
        );
        assert_eq!(
            parse_bound("FOR VALUES FROM (MINVALUE, 5) TO ('a TO b', MAXVALUE)"),
            PartitionBound::Range { from: vec![None, Some("5".into())], to: vec![Some("a TO b".into()), None] }
        );
        assert_eq!(
            parse_bound("FOR VALUES IN ('it''s', 'x,y', NULL)"),
            PartitionBound::List(vec![Some("it's".into()), Some("x,y".into()), None])
        );
        assert_eq!(parse_bound("FOR VALUES IN (1, 2)"), PartitionBound::List(vec![Some("1".into()), Some("2".into())]));
        assert_eq!(parse_bound("FOR VALUES WITH (modulus 4, remainder 1)"), PartitionBound::Hash);
        assert_eq!(parse_bound("DEFAULT"), PartitionBound::Default);
    }
}
