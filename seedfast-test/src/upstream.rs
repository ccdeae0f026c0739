//! What other services generated, handed to the seed of a service that
//! references them: the values its contract columns must take (and
//! deliberate orphans must avoid), and the upstream rows derived values
//! are read from (`amounts matching order totals`).

use std::collections::HashMap;
use std::sync::Arc;

use seedfast_scope::project::{ColumnRef, Contract, IdType};

use crate::error::{Error, Result};
use crate::generate::Value;
use crate::schema::{Schema, SqlType};

/// The rows one upstream table got, column-major, as generated.
#[derive(Debug, Clone, PartialEq)]
pub struct UpstreamTable {
    pub service: String,
    pub schema: String,
    pub table: String,
    pub columns: Vec<(String, Vec<Value>)>,
}

impl UpstreamTable {
    pub fn column(&self, name: &str) -> Option<&[Value]> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }

    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, v)| v.len())
    }

    /// Row index by the text of a key column's values.
    pub fn index_by(&self, key: &str) -> HashMap<String, usize> {
        self.column(key).unwrap_or_default().iter().enumerate().map(|(i, v)| (v.key(), i)).collect()
    }
}

/// One contract as the referencing service sees it.
#[derive(Debug, Clone)]
pub struct UpstreamRef {
    /// `orders.orders.user_id -> users.users.id`.
    pub contract: Contract,
    pub schema: String,
    pub table: String,
    pub column: String,
    /// The referenced service.
    pub service: String,
    /// The referenced column of `source`.
    pub target_column: String,
    /// The referenced table's rows when that service is seeded in the same
    /// run; `None` when it is not (the references are then unverified).
    pub source: Option<Arc<UpstreamTable>>,
}

/// Everything a service's seed needs from the services it references.
#[derive(Debug, Clone, Default)]
pub struct Upstream {
    pub refs: Vec<UpstreamRef>,
    /// Tables of this service to hand on to its own dependants, by
    /// `(schema, table)`.
    pub export: Vec<(String, String)>,
}

impl Upstream {
    pub fn for_column(&self, schema: &str, table: &str, column: &str) -> Option<&UpstreamRef> {
        self.refs.iter().find(|r| r.schema == schema && r.table == table && r.column == column)
    }

    /// The values a contract column may take: the upstream keys, when seeded.
    pub fn values(r: &UpstreamRef) -> Option<Arc<Vec<Value>>> {
        let source = r.source.as_ref()?;
        Some(Arc::new(source.column(&r.target_column)?.to_vec()))
    }
}

/// One side of a contract exists in that service's migrated schema, with a
/// type the contract's ID type allows.
pub fn check_contract_side(schema: &Schema, side: &ColumnRef, contract: &Contract) -> Result<()> {
    let bad = |message: String| Error::Contract { contract: contract.to_string(), message };
    let Some(t) = schema.table(&side.schema, &side.table) else {
        let known: Vec<String> = schema.tables.iter().map(|t| format!("`{}`", t.display_name())).collect();
        return Err(bad(format!("service `{}` has no table `{}`; it has {}", side.service, side.table, known.join(", "))));
    };
    let table = &schema.tables[t];
    let Some(c) = table.column(&side.column) else {
        let known: Vec<String> = table.columns.iter().map(|c| format!("`{}`", c.name)).collect();
        return Err(bad(format!("table `{}` of service `{}` has no column `{}`; it has {}", side.table, side.service, side.column, known.join(", "))));
    };
    let ty = table.columns[c].ty.base();
    let fits = match contract.id_type {
        IdType::Integer => ty.is_integer(),
        IdType::Uuid => matches!(ty, SqlType::Uuid),
        IdType::Text => matches!(ty, SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_)),
    };
    if !fits {
        return Err(bad(format!("`{side}` is {} in the migrated schema, but the contract says {}", table.columns[c].ty.sql_name(), contract.id_type.name())));
    }
    Ok(())
}
