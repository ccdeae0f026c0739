//! The project file at run time: the same model the macro checked at
//! compile time, with migration directories resolved and fingerprinted.

use std::path::{Path, PathBuf};

use seedfast_scope::project::Project;

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct LoadedProject {
    pub path: PathBuf,
    pub services: Vec<LoadedService>,
    pub model: Project,
}

#[derive(Debug, Clone)]
pub struct LoadedService {
    pub name: String,
    pub migrations: PathBuf,
}

impl LoadedProject {
    pub fn load(path: &Path) -> Result<LoadedProject> {
        let project_err = |message: String| Error::Project { path: path.display().to_string(), message };
        let text = std::fs::read_to_string(path).map_err(|e| project_err(format!("cannot be read: {e}")))?;
        let model = Project::parse(&text).map_err(|e| project_err(e.message))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let services = model
            .services
            .iter()
            .map(|s| LoadedService { migrations: dir.join(&s.migrations), name: s.name.clone() })
            .collect();
        Ok(LoadedProject { path: path.to_path_buf(), services, model })
    }

    pub fn service(&self, name: &str) -> Result<&LoadedService> {
        self.services.iter().find(|s| s.name == name).ok_or_else(|| Error::Project {
            path: self.path.display().to_string(),
            message: format!(
                "no service `{name}`; declared: {}",
                self.services.iter().map(|s| format!("`{}`", s.name)).collect::<Vec<_>>().join(", ")
            ),
        })
    }
}

/// The migration files of a directory in the order sqlx applies them, with
/// their contents: what a migrated template depends on.
pub fn migration_files(service: &str, dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::Migration {
        service: service.to_string(),
        file: dir.display().to_string(),
        message: format!("cannot read the migrations directory: {e}"),
    })?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".sql") {
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::Migration {
                service: service.to_string(),
                file: name.clone(),
                message: format!("cannot be read: {e}"),
            })?;
            files.push((name, bytes));
        }
    }
    files.sort();
    Ok(files)
}

/// A stable hash of names and contents (each part length-framed): a
/// template is rebuilt exactly when something that shapes it changes.
pub fn fingerprint(parts: &[&[u8]]) -> u64 {
    crate::generate::fnv1a(parts.iter().flat_map(|p| p.iter().copied().chain((p.len() as u64).to_le_bytes())))
}
