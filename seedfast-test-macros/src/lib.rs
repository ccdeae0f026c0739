//! The `#[seeded_test]` attribute of seedfast-test.
//!
//! Empty for now: the attribute (one ephemeral Postgres per declared
//! service, migrations, template clones, typed handles) is the next
//! milestone. The crate exists so the workspace layout and the pinned
//! versions between the macro and the runtime are in place from the start.
