//! Several services seeded as one system: the contracts between them decide
//! the phases and hand each service the values its references must take.
//! Shared by `#[seeded_test]`, `seedfast seed-all` and the example job.

use std::sync::Arc;

use seedfast_scope::project::Project;

use crate::report::SeedReport;
use crate::upstream::{Upstream, UpstreamRef};

/// What the seed of `service` gets from the services already seeded
/// (`seeded`: service and its report), and which of its own tables it must
/// hand on to its dependants.
pub fn upstream_inputs(project: &Project, service: &str, seeded: &[(String, Arc<SeedReport>)]) -> Upstream {
    let refs = project
        .contracts_from(service)
        .map(|c| {
            let source = seeded.iter().find(|(s, _)| *s == c.to.service).and_then(|(_, report)| {
                report.exports.iter().find(|e| e.schema == c.to.schema && e.table == c.to.table).map(|e| {
                    let mut e = (**e).clone();
                    e.service = c.to.service.clone();
                    Arc::new(e)
                })
            });
            UpstreamRef {
                contract: c.clone(),
                schema: c.from.schema.clone(),
                table: c.from.table.clone(),
                column: c.from.column.clone(),
                service: c.to.service.clone(),
                target_column: c.to.column.clone(),
                source,
            }
        })
        .collect();
    let mut export: Vec<(String, String)> =
        project.contracts.iter().filter(|c| c.to.service == service).map(|c| (c.to.schema.clone(), c.to.table.clone())).collect();
    export.sort();
    export.dedup();
    Upstream { refs, export }
}
