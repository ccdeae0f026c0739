//! The project file, `seedfast.toml`: the services of a system and where
//! their migrations are. Parsed from text here (no I/O) so the
//! `#[seeded_test]` macro can check service names at compile time and the
//! runtime reads the very same model.
//!
//! ```toml
//! [services.users]
//! migrations = "services/users/migrations"
//!
//! [services.orders]
//! migrations = "services/orders/migrations"
//!
//! # orders.user_id holds a users.id: no foreign key can say so across databases
//! [[contracts]]
//! from = "orders.orders.user_id"
//! to = "users.users.id"
//! type = "integer"
//! ```
//!
//! Paths are relative to the project file. A contract names
//! `service.table.column` on both sides (`service.schema.table.column` for
//! a table outside `public`) and the ID type: `integer`, `uuid` or `text`.

use std::fmt;

use serde::Deserialize;

/// Attribute keys of `#[seeded_test]` that are not services.
pub const RESERVED_KEYS: &[&str] = &["project", "seed"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// In file order.
    pub services: Vec<Service>,
    /// References between services' databases, in file order.
    pub contracts: Vec<Contract>,
}

/// A reference from one service's column to another's, which no foreign
/// key enforces: `orders.orders.user_id -> users.users.id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub from: ColumnRef,
    pub to: ColumnRef,
    pub id_type: IdType,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ColumnRef {
    pub service: String,
    /// `public` unless the reference names a schema.
    pub schema: String,
    pub table: String,
    pub column: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdType {
    Integer,
    Uuid,
    Text,
}

impl IdType {
    pub fn name(self) -> &'static str {
        match self {
            IdType::Integer => "integer",
            IdType::Uuid => "uuid",
            IdType::Text => "text",
        }
    }
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.schema == "public" {
            write!(f, "{}.{}.{}", self.service, self.table, self.column)
        } else {
            write!(f, "{}.{}.{}.{}", self.service, self.schema, self.table, self.column)
        }
    }
}

impl fmt::Display for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.from, self.to)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    /// As written: relative to the project file, or absolute.
    pub migrations: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectError {
    pub message: String,
}

impl fmt::Display for ProjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProjectError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    services: toml::Table,
    #[serde(default)]
    contracts: Vec<RawContract>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContract {
    from: String,
    to: String,
    #[serde(rename = "type")]
    id_type: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    migrations: String,
}

impl Project {
    pub fn parse(text: &str) -> Result<Project, ProjectError> {
        let raw: RawProject = toml::from_str(text).map_err(|e| ProjectError { message: e.to_string().trim_end().to_string() })?;
        let mut services = Vec::new();
        for (name, value) in raw.services {
            if !is_identifier(&name) {
                return Err(ProjectError {
                    message: format!("service name `{name}` must be a Rust identifier (letters, digits, `_`), since tests name it as a parameter"),
                });
            }
            if RESERVED_KEYS.contains(&name.as_str()) {
                return Err(ProjectError {
                    message: format!("`{name}` cannot name a service: it is a `#[seeded_test]` option; rename the service"),
                });
            }
            let service: RawService = value
                .try_into()
                .map_err(|e: toml::de::Error| ProjectError { message: format!("in [services.{name}]: {}", e.to_string().trim_end()) })?;
            services.push(Service { name, migrations: service.migrations });
        }
        if services.is_empty() {
            return Err(ProjectError { message: "no services declared; add e.g. [services.users] with migrations = \"...\"".into() });
        }
        let owned_names: Vec<String> = services.iter().map(|s: &Service| s.name.clone()).collect();
        let names: Vec<&str> = owned_names.iter().map(String::as_str).collect();
        let mut contracts = Vec::new();
        for (i, raw) in raw.contracts.iter().enumerate() {
            let at = |message: String| ProjectError { message: format!("contract {} (`{} -> {}`): {message}", i + 1, raw.from, raw.to) };
            let from = column_ref(&raw.from, &names).map_err(at)?;
            let to = column_ref(&raw.to, &names).map_err(at)?;
            if from.service == to.service {
                return Err(at("both sides are in the same service; a foreign key expresses that".into()));
            }
            let id_type = match raw.id_type.to_ascii_lowercase().as_str() {
                "integer" | "int" | "bigint" => IdType::Integer,
                "uuid" => IdType::Uuid,
                "text" | "string" => IdType::Text,
                other => return Err(at(format!("unknown type `{other}`; expected `integer`, `uuid` or `text`"))),
            };
            contracts.push(Contract { from, to, id_type });
        }
        let project = Project { services, contracts };
        project.phases(&names)?;
        Ok(project)
    }

    /// Seeding phases for `declared` services: services with no contract
    /// towards another declared service first, then their dependants, each
    /// phase in file order. A cycle between services is an error.
    pub fn phases(&self, declared: &[&str]) -> Result<Vec<Vec<String>>, ProjectError> {
        let mut remaining: Vec<&str> = self.services.iter().map(|s| s.name.as_str()).filter(|s| declared.contains(s)).collect();
        let mut phases: Vec<Vec<String>> = Vec::new();
        let mut done: Vec<&str> = Vec::new();
        while !remaining.is_empty() {
            let ready: Vec<&str> = remaining
                .iter()
                .copied()
                .filter(|s| {
                    self.contracts.iter().filter(|c| c.from.service == *s && declared.contains(&c.to.service.as_str())).all(|c| done.contains(&c.to.service.as_str()))
                })
                .collect();
            if ready.is_empty() {
                let cycle: Vec<String> = self
                    .contracts
                    .iter()
                    .filter(|c| remaining.contains(&c.from.service.as_str()) && remaining.contains(&c.to.service.as_str()))
                    .map(|c| c.to_string())
                    .collect();
                return Err(ProjectError {
                    message: format!(
                        "the contracts between {} form a cycle, so no service can be seeded first: {}; drop or reverse one of them",
                        remaining.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                        cycle.join(", ")
                    ),
                });
            }
            remaining.retain(|s| !ready.contains(s));
            done.extend(&ready);
            phases.push(ready.into_iter().map(str::to_string).collect());
        }
        Ok(phases)
    }

    /// Contracts whose referencing side is in `service`.
    pub fn contracts_from<'a>(&'a self, service: &'a str) -> impl Iterator<Item = &'a Contract> + 'a {
        self.contracts.iter().filter(move |c| c.from.service == service)
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn names(&self) -> Vec<&str> {
        self.services.iter().map(|s| s.name.as_str()).collect()
    }
}

fn column_ref(text: &str, services: &[&str]) -> Result<ColumnRef, String> {
    let parts: Vec<&str> = text.trim().split('.').collect();
    let (service, schema, table, column) = match parts.as_slice() {
        [service, table, column] => (*service, "public", *table, *column),
        [service, schema, table, column] => (*service, *schema, *table, *column),
        _ => return Err(format!("`{text}` must be `service.table.column` (or `service.schema.table.column`)")),
    };
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!("`{text}` has an empty part"));
    }
    if !services.contains(&service) {
        return Err(format!(
            "unknown service `{service}`, expected one of {}",
            services.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(ColumnRef { service: service.into(), schema: schema.into(), table: table.into(), column: column.into() })
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod should {
    use super::*;

    #[test]
    fn read_services_in_file_order() {
        let p = Project::parse("[services.users]\nmigrations = \"u\"\n[services.orders]\nmigrations = \"o\"\n").unwrap();
        assert_eq!(p.names(), ["users", "orders"]);
        assert_eq!(p.service("orders").unwrap().migrations, "o");
    }

    const SHOP: &str = "[services.users]\nmigrations = \"u\"\n[services.orders]\nmigrations = \"o\"\n[services.payments]\nmigrations = \"p\"\n";

    #[test]
    fn read_contracts_and_order_services_in_phases() {
        let text = format!(
            "{SHOP}[[contracts]]\nfrom = \"payments.payments.order_id\"\nto = \"orders.orders.id\"\ntype = \"integer\"\n\
             [[contracts]]\nfrom = \"orders.orders.user_id\"\nto = \"users.users.id\"\ntype = \"integer\"\n"
        );
        let p = Project::parse(&text).unwrap();
        assert_eq!(p.contracts[1].to_string(), "orders.orders.user_id -> users.users.id");
        assert_eq!(p.phases(&["users", "orders", "payments"]).unwrap(), vec![vec!["users"], vec!["orders"], vec!["payments"]]);
        // Undeclared upstream services do not hold anyone back.
        assert_eq!(p.phases(&["orders", "payments"]).unwrap(), vec![vec!["orders"], vec!["payments"]]);
        assert_eq!(p.phases(&["users", "payments"]).unwrap(), vec![vec!["users", "payments"]]);
    }

    #[test]
    fn refuse_bad_contracts_and_cycles() {
        let contract = |from: &str, to: &str, ty: &str| format!("[[contracts]]\nfrom = \"{from}\"\nto = \"{to}\"\ntype = \"{ty}\"\n");
        let e = Project::parse(&format!("{SHOP}{}", contract("orders.orders.user_id", "user.users.id", "integer"))).unwrap_err();
        assert_eq!(e.message, "contract 1 (`orders.orders.user_id -> user.users.id`): unknown service `user`, expected one of `users`, `orders`, `payments`");
        let e = Project::parse(&format!("{SHOP}{}", contract("orders.user_id", "users.users.id", "integer"))).unwrap_err();
        assert!(e.message.contains("must be `service.table.column`"), "{e}");
        let e = Project::parse(&format!("{SHOP}{}", contract("orders.orders.user_id", "users.users.id", "number"))).unwrap_err();
        assert!(e.message.contains("unknown type `number`"), "{e}");
        let e = Project::parse(&format!(
            "{SHOP}{}{}",
            contract("orders.orders.user_id", "users.users.id", "integer"),
            contract("users.users.last_order_id", "orders.orders.id", "integer")
        ))
        .unwrap_err();
        assert!(e.message.starts_with("the contracts between `users`, `orders` form a cycle"), "{e}");
    }

    #[test]
    fn refuse_unknown_keys_reserved_names_and_bad_toml() {
        let e = Project::parse("[services.users]\nmigration = \"u\"\n").unwrap_err();
        assert!(e.message.contains("in [services.users]") && e.message.contains("migration"), "{e}");
        let e = Project::parse("[services.seed]\nmigrations = \"u\"\n").unwrap_err();
        assert!(e.message.contains("`seed` cannot name a service"), "{e}");
        let e = Project::parse("[services.users\n").unwrap_err();
        assert!(e.message.contains("line 1"), "{e}");
        let e = Project::parse("[services.\"user-service\"]\nmigrations = \"u\"\n").unwrap_err();
        assert!(e.message.contains("must be a Rust identifier"), "{e}");
    }
}
