//! Finding and reading `seedfast.toml` at compile time.
//!
//! Resolution order: `project = "..."` in the attribute, else the
//! `SEEDFAST_PROJECT` environment variable, else `seedfast.toml` beside
//! Cargo.toml. Relative paths start at `CARGO_MANIFEST_DIR`, as sqlx's
//! `migrations = "..."` does. The canonical absolute path goes into the
//! expansion: the runtime reads the same file again and resolves migration
//! directories relative to it.

use std::io;
use std::path::{Path, PathBuf};

use proc_macro2::Span;
use seedfast_scope::project::Project;
use syn::LitStr;

use crate::ctxt::Ctxt;

pub const ENV_VAR: &str = "SEEDFAST_PROJECT";

/// What the lookup depends on besides the attribute; a value, so tests do
/// not touch the process environment.
pub struct Lookup {
    pub manifest_dir: PathBuf,
    /// `SEEDFAST_PROJECT`, if set and not empty.
    pub env: Option<String>,
}

impl Lookup {
    pub fn from_env() -> Lookup {
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let env = std::env::var(ENV_VAR).ok().filter(|v| !v.is_empty());
        Lookup { manifest_dir, env }
    }
}

pub struct ProjectFile {
    /// Canonical, absolute.
    pub path: String,
    pub project: Project,
}

/// Where the path came from, which decides what the error says. Paths are
/// shown as the user wrote them, not made absolute: that is what they can
/// find and fix, and it keeps messages the same on every machine.
enum Source<'a> {
    Attribute(&'a LitStr),
    Env(&'a str),
    Default,
}

pub fn load(cx: &Ctxt, attribute: Option<&LitStr>, lookup: &Lookup) -> Option<ProjectFile> {
    let source = match (attribute, &lookup.env) {
        (Some(lit), _) => Source::Attribute(lit),
        (None, Some(env)) => Source::Env(env),
        (None, None) => Source::Default,
    };
    let (written, span) = match &source {
        Source::Attribute(lit) => (lit.value(), lit.span()),
        Source::Env(env) => (env.to_string(), Span::call_site()),
        Source::Default => ("seedfast.toml".to_string(), Span::call_site()),
    };
    // `join` keeps an absolute path as it is.
    let full = lookup.manifest_dir.join(&written);
    let text = match std::fs::read_to_string(&full) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            cx.error(span, not_found(&source, &written, &lookup.manifest_dir));
            return None;
        }
        Err(error) => {
            cx.error(span, format!("cannot read project file `{written}`{}: {error}", named_by(&source)));
            return None;
        }
    };
    let project = match Project::parse(&text) {
        Ok(project) => project,
        Err(error) => {
            cx.error(span, format!("invalid project file `{written}`{}: {error}", named_by(&source)));
            return None;
        }
    };
    let path = match std::fs::canonicalize(&full).map(|p| p.to_str().map(str::to_string)) {
        Ok(Some(path)) => path,
        Ok(None) => {
            cx.error(span, format!("the path of project file `{written}` is not UTF-8; move it to a UTF-8 path"));
            return None;
        }
        Err(error) => {
            cx.error(span, format!("cannot resolve project file `{written}`: {error}"));
            return None;
        }
    };
    Some(ProjectFile { path, project })
}

fn not_found(source: &Source, written: &str, manifest_dir: &Path) -> String {
    let relative = if Path::new(written).is_absolute() { "" } else { " (relative to the directory of Cargo.toml)" };
    match source {
        Source::Attribute(_) => format!("project file `{written}` not found{relative}"),
        Source::Env(_) => format!("project file `{written}` not found{relative}, named by {ENV_VAR}"),
        Source::Default => format!(
            "project file `seedfast.toml` not found in `{}`\n\
             help: create seedfast.toml beside Cargo.toml, or name the file with `project = \"path/to/seedfast.toml\"` or {ENV_VAR}",
            manifest_dir.display()
        ),
    }
}

fn named_by(source: &Source) -> String {
    match source {
        Source::Env(_) => format!(" (from {ENV_VAR})"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod should {
    use super::*;

    struct Dir(PathBuf);

    impl Dir {
        fn new(name: &str) -> Dir {
            let dir = std::env::temp_dir().join(format!("seedfast-macro-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Dir(dir)
        }

        fn write(&self, name: &str, text: &str) {
            std::fs::write(self.0.join(name), text).unwrap();
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const PROJECT: &str = "[services.users]\nmigrations = \"users\"\n";

    fn errors(cx: Ctxt) -> Vec<String> {
        cx.check().err().map(|e| e.into_iter().map(|e| e.to_string()).collect()).unwrap_or_default()
    }

    #[test]
    fn prefer_the_attribute_then_the_env_var_then_the_crate_root() {
        let dir = Dir::new("order");
        dir.write("seedfast.toml", PROJECT);
        dir.write("env.toml", "[services.env]\nmigrations = \"e\"\n");
        dir.write("attr.toml", "[services.attr]\nmigrations = \"a\"\n");
        let attr = LitStr::new("attr.toml", Span::call_site());
        let with_env = Lookup { manifest_dir: dir.0.clone(), env: Some("env.toml".into()) };
        let without = Lookup { manifest_dir: dir.0.clone(), env: None };

        let cx = Ctxt::new();
        assert_eq!(load(&cx, Some(&attr), &with_env).unwrap().project.names(), ["attr"]);
        assert_eq!(load(&cx, None, &with_env).unwrap().project.names(), ["env"]);
        let default = load(&cx, None, &without).unwrap();
        assert_eq!(default.project.names(), ["users"]);
        assert!(Path::new(&default.path).is_absolute() && default.path.ends_with("seedfast.toml"));
        assert!(errors(cx).is_empty());
    }

    #[test]
    fn accept_an_absolute_env_var() {
        let dir = Dir::new("absolute");
        dir.write("p.toml", PROJECT);
        let lookup = Lookup { manifest_dir: "/nonexistent".into(), env: Some(dir.0.join("p.toml").to_str().unwrap().into()) };
        let cx = Ctxt::new();
        assert!(load(&cx, None, &lookup).is_some());
        assert!(errors(cx).is_empty());
    }

    #[test]
    fn say_which_path_was_looked_at_and_how_to_fix_it() {
        let dir = Dir::new("missing");
        let cx = Ctxt::new();
        let attr = LitStr::new("no/such.toml", Span::call_site());
        let lookup = Lookup { manifest_dir: dir.0.clone(), env: Some("env.toml".into()) };
        assert!(load(&cx, Some(&attr), &lookup).is_none());
        assert!(load(&cx, None, &lookup).is_none());
        assert!(load(&cx, None, &Lookup { env: None, ..lookup }).is_none());
        let errors = errors(cx);
        assert_eq!(errors[0], "project file `no/such.toml` not found (relative to the directory of Cargo.toml)");
        assert_eq!(errors[1], "project file `env.toml` not found (relative to the directory of Cargo.toml), named by SEEDFAST_PROJECT");
        assert!(errors[2].starts_with(&format!("project file `seedfast.toml` not found in `{}`\nhelp: create seedfast.toml beside Cargo.toml", dir.0.display())), "{}", errors[2]);
    }

    #[test]
    fn quote_the_parse_error_of_a_broken_file() {
        let dir = Dir::new("broken");
        dir.write("seedfast.toml", "[services.users]\nmigration = \"u\"\n");
        let cx = Ctxt::new();
        assert!(load(&cx, None, &Lookup { manifest_dir: dir.0.clone(), env: None }).is_none());
        let errors = errors(cx);
        assert!(errors[0].starts_with("invalid project file `seedfast.toml`: in [services.users]"), "{}", errors[0]);
    }
}
