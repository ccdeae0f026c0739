//! A whole system seeded outside any test: what the example job runs. It
//! uses the same servers, phases, templates and verification as
//! `#[seeded_test]`.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::project::LoadedProject;
use super::templates;
use crate::error::{Error, Result};
use crate::plan::SeedOptions;
use crate::report::SeedReport;
use crate::verify::ContractCheck;

pub struct SystemReport {
    /// Services in seeding order, grouped by phase.
    pub phases: Vec<Vec<String>>,
    pub services: Vec<ServiceReport>,
    pub elapsed: Duration,
}

pub struct ServiceReport {
    pub service: String,
    pub report: Arc<SeedReport>,
    pub checks: Vec<ContractCheck>,
    pub unverified: Vec<String>,
}

/// Seeds every service in `scopes` (service, scope) of the project at
/// `project`, in phases, and verifies the contracts between them.
pub fn seed_system(project: &Path, scopes: &[(String, String)], options: SeedOptions) -> Result<SystemReport> {
    let started = Instant::now();
    let project = LoadedProject::load(project)?;
    let names: Vec<&str> = scopes.iter().map(|(s, _)| s.as_str()).collect();
    for name in &names {
        project.service(name)?;
    }
    let phases = project.model.phases(&names).map_err(|e| Error::Project { path: project.path.display().to_string(), message: e.message })?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("seedfast: cannot start a tokio runtime");
    let seeded = runtime.block_on(templates::seeded_templates(Arc::new(project), scopes.to_vec(), options))?;
    let services = scopes
        .iter()
        .zip(seeded)
        .map(|((service, _), t)| ServiceReport { service: service.clone(), report: t.report, checks: t.checks, unverified: t.unverified })
        .collect();
    Ok(SystemReport { phases, services, elapsed: started.elapsed() })
}

/// The schema of one service of the project at `project`, after its
/// migrations, read from an ephemeral server like a test's: `seedfast plan
/// --project` shows how a scope reads without any database to point at.
pub fn service_schema(project: &Path, service: &str) -> Result<crate::schema::Schema> {
    let project = LoadedProject::load(project)?;
    let service = project.service(service)?.clone();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("seedfast: cannot start a tokio runtime");
    runtime.block_on(templates::migrated_schema(service))
}
