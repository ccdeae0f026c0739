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
//! ```
//!
//! Paths are relative to the project file.

use std::fmt;

use serde::Deserialize;

/// Attribute keys of `#[seeded_test]` that are not services.
pub const RESERVED_KEYS: &[&str] = &["project", "seed"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// In file order.
    pub services: Vec<Service>,
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
        Ok(Project { services })
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn names(&self) -> Vec<&str> {
        self.services.iter().map(|s| s.name.as_str()).collect()
    }
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
