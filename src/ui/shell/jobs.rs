//! Work on worker threads: the demo shop, imports, the daily backup, and polling them.

use std::path::PathBuf;

use crate::app::demo::{DemoSpec, load_demo};
use crate::app::import::{ImportKind, detect_kind};
use crate::app::jobs::Job;
use crate::app::session::{AfterOpen, DailyBackupOutcome, checks_after_open};
use crate::ui::import::ImportFlow;
use crate::ui::shell::{DeskApp, Dialog, file_name};

impl DeskApp {
    pub(super) fn start_demo(&mut self, ctx: &egui::Context) {
        let Some(store) = &self.store else { return };
        let opener = store.opener();
        let clock = self.clock;
        let wake_ctx = ctx.clone();
        let job = Job::spawn(
            "Load demo shop",
            move |progress| {
                let mut worker_store = opener.open().map_err(|e| e.to_string())?;
                load_demo(&mut worker_store, DemoSpec::default(), &clock, progress)
                    .map_err(|e| e.to_string())
            },
            move || wake_ctx.request_repaint(),
        );
        match job {
            Ok(job) => self.demo_job = Some(job),
            Err(error) => self.set_status(format!("Cannot start the demo: {error}"), true),
        }
    }

    pub(super) fn begin_import(
        &mut self,
        ctx: &egui::Context,
        kind: Option<ImportKind>,
        path: PathBuf,
    ) {
        let Some(store) = &self.store else { return };
        if self.import.is_some() {
            self.set_status("An import is already open", true);
            return;
        }
        let kind = match kind.map_or_else(|| detect_kind(&path), Ok) {
            Ok(kind) => kind,
            Err(message) => {
                self.set_status(message, true);
                return;
            }
        };
        match ImportFlow::begin(&store.opener(), kind, path, self.clock, ctx) {
            Ok(flow) => self.import = Some(flow),
            Err(error) => self.set_status(error, true),
        }
    }

    /// Writes the first backup of the day on a worker thread with its own connection.
    pub(super) fn start_daily_backup(&mut self) {
        let Some(store) = &self.store else { return };
        let opener = store.opener();
        let clock = self.clock;
        let wake = self.ctx.clone();
        let checked = self
            .lock
            .as_ref()
            .is_some_and(|lock| lock.checked_today(&clock.today().to_string()));
        match Job::spawn(
            "Check and daily backup",
            move |_| {
                let store = opener.open().map_err(|error| error.to_string())?;
                checks_after_open(&store, &clock, checked).map_err(|error| error.to_string())
            },
            move || wake.request_repaint(),
        ) {
            Ok(job) => self.daily_backup = Some(job),
            Err(error) => self.set_status(format!("The daily backup did not start: {error}"), true),
        }
    }

    /// Work that must happen even when nothing is drawn: finished background jobs.
    pub(super) fn poll_jobs(&mut self) {
        self.check.poll();
        if let Some(job) = &self.daily_backup
            && let Some(result) = job.poll()
        {
            self.daily_backup = None;
            let result = result.and_then(|inner| inner);
            if let (Ok(AfterOpen::Sound(_)), Some(lock)) = (&result, &mut self.lock) {
                lock.note_verified(&self.clock.today().to_string());
            }
            match result {
                Ok(AfterOpen::Sound(DailyBackupOutcome::Written(backup))) => self.set_status(
                    format!("Today's backup is {}", file_name(&backup.path)),
                    false,
                ),
                Ok(AfterOpen::Sound(DailyBackupOutcome::Failed(error))) => {
                    self.set_status(format!("The daily backup failed: {error}"), true);
                }
                Ok(AfterOpen::Sound(_)) => {}
                Ok(AfterOpen::Damaged(message)) => {
                    if let Some(store) = &mut self.store {
                        let _ = store.refuse_writes();
                    }
                    self.set_status(message.clone(), true);
                    self.dialog = Some(Dialog::Damaged { message });
                }
                Err(error) => self.set_status(format!("The daily backup failed: {error}"), true),
            }
        }
        if let Some(export) = &self.export
            && let Some(result) = export.poll()
        {
            self.export = None;
            match result {
                Ok(text) => self.set_status(text, false),
                Err(message) => self.set_status(format!("Export failed: {message}"), true),
            }
        }
        let Some(job) = &self.demo_job else { return };
        let Some(result) = job.poll() else { return };
        self.demo_job = None;
        match result.and_then(|inner| inner) {
            Ok(summary) => {
                self.onboarding = false;
                self.data_version += 1;
                self.set_status(
                    format!(
                        "Demo shop loaded: {} products, {} orders, {} backordered lines",
                        summary.products, summary.orders, summary.backordered_lines
                    ),
                    false,
                );
            }
            Err(message) => self.set_status(format!("Demo shop not loaded: {message}"), true),
        }
    }
}
