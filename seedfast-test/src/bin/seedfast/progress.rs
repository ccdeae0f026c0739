//! What `seedfast seed` shows on a terminal while it works: a spinner while
//! rows are generated, then a bar per table as its rows are written. Drawn
//! on stderr and cleared at the end, so stdout keeps only the report; absent
//! when stderr is not a terminal (CI logs) and with `--output json`.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use seedfast_test::write::Progress;

use crate::args::Output;

pub struct Bars {
    multi: MultiProgress,
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    /// A display for this run, if it has a terminal to draw on.
    pub fn for_run(output: Output) -> Option<Bars> {
        if output == Output::Json || !std::io::stderr().is_terminal() {
            return None;
        }
        Some(Bars {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            current: Mutex::new(None),
        })
    }

    fn replace(&self, next: Option<ProgressBar>) {
        let mut current = self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(done) = current.take() {
            done.finish();
        }
        *current = next;
    }
}

impl Progress for Bars {
    fn generating(&self, tables: &[String]) {
        let spinner = self.multi.add(
            ProgressBar::new_spinner()
                .with_message(format!("generating rows for {}", tables.join(", "))),
        );
        spinner.enable_steady_tick(Duration::from_millis(100));
        self.replace(Some(spinner));
    }

    fn table(&self, table: &str, rows: u64) {
        let style =
            ProgressStyle::with_template("{prefix:<16} {bar:30} {pos:>9}/{len} rows  {elapsed}")
                .expect("a valid template");
        let bar = self.multi.add(
            ProgressBar::new(rows)
                .with_style(style)
                .with_prefix(table.to_string()),
        );
        self.replace(Some(bar));
    }

    fn written(&self, rows: u64) {
        if let Some(bar) = self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            bar.inc(rows);
        }
    }

    fn done(&self) {
        self.replace(None);
        let _ = self.multi.clear();
    }
}
