//! Opening a shop file (through `app::session::open_shop`) and putting a backup back.

use std::path::{Path, PathBuf};

use crate::app::backup::{READ_ONLY_REFUSAL, restore};
use crate::app::session::{
    Access, Create, DailyBackup, DailyBackupOutcome, OpenError, OpenRequest, ReadOnlyReason,
    Session, open_shop,
};
use crate::store::StoreError;
use crate::store::backup::check_backup_file;
use crate::store::lock::ShopLock;
use crate::ui::catalog::CatalogScreen;
use crate::ui::dashboard::DashboardScreen;
use crate::ui::messages::MessagesScreen;
use crate::ui::orders::OrdersScreen;
use crate::ui::orders::picklist::PickListWindow;
use crate::ui::purchasing::PurchasingScreen;
use crate::ui::reorder::ReorderScreen;
use crate::ui::shared::file_dialog::{self, FileKind, Native};
use crate::ui::shell::{DeskApp, Dialog, OpenMode, SYNC_DAILY_BACKUP_BYTES, file_name};

impl DeskApp {
    pub(super) fn open_file(&mut self, path: &Path) {
        self.open_file_with(path, OpenMode::Normal);
    }

    pub(super) fn open_file_with(&mut self, path: &Path, mode: OpenMode) {
        let access = if mode == OpenMode::ReadOnly {
            Access::ReadOnly
        } else {
            Access::Write
        };
        let mut request = OpenRequest::new(path, access, self.clock);
        if mode == OpenMode::New {
            request.create = Create::AlsoEmpty;
        }
        let large = std::fs::metadata(path).is_ok_and(|meta| meta.len() > SYNC_DAILY_BACKUP_BYTES);
        // A big shop is checked and copied on a worker: the window opens at once, and changes
        // wait until the check is done.
        request.daily_backup = if large {
            DailyBackup::Later
        } else {
            DailyBackup::Now
        };
        if self
            .store
            .as_ref()
            .is_some_and(|store| store.path() == path)
        {
            // Closes the old connection before the new one (a restore replaced the file).
            self.store = None;
        }
        // This window already holds the file's locks (reopening after a restore): kept.
        if self
            .lock
            .as_ref()
            .is_some_and(|lock| lock.db_path() == path)
        {
            request.lock = self.lock.take();
        }
        let session = match open_shop(request) {
            Ok(session) => session,
            Err(error) => {
                if self.store.is_none() {
                    self.lock = None;
                }
                let offer_read_only = mode != OpenMode::ReadOnly
                    && matches!(error, OpenError::Store(StoreError::ReadOnly { .. }));
                self.open_failed(path, error.to_string(), offer_read_only);
                return;
            }
        };
        if let Some(ReadOnlyReason::InUse(held)) = &session.read_only {
            // Asked first, as before: read-only, or another file. Nothing stays open.
            self.dialog = Some(Dialog::InUse {
                path: path.to_owned(),
                held: held.clone(),
            });
            return;
        }
        let Session {
            store,
            lock,
            read_only,
            daily_backup,
            ..
        } = session;
        self.onboarding = store.needs_onboarding().unwrap_or(false);
        let name = file_name(path);
        let mut status = match &read_only {
            None => (format!("Opened {name}"), false),
            Some(ReadOnlyReason::Chosen) => (format!("Opened {name} read-only"), false),
            Some(ReadOnlyReason::NotWritable(_)) => (
                format!("Opened {name} read-only: the file or its folder cannot be written"),
                true,
            ),
            Some(reason @ (ReadOnlyReason::Damaged(_) | ReadOnlyReason::InUse(_))) => {
                (reason.message(path), true)
            }
        };
        let later = matches!(daily_backup, DailyBackupOutcome::Later);
        match daily_backup {
            DailyBackupOutcome::Written(backup) => {
                status
                    .0
                    .push_str(&format!("; today's backup is {}", file_name(&backup.path)));
            }
            DailyBackupOutcome::Failed(error) => {
                status = (
                    format!("Opened {name}, but the daily backup failed: {error}"),
                    true,
                );
            }
            DailyBackupOutcome::NotDue | DailyBackupOutcome::Later => {}
        }
        self.store = Some(store);
        self.lock = lock;
        // A check of the file opened before is of no interest any more.
        self.daily_backup = None;
        if later {
            self.start_daily_backup();
        }
        self.catalog = CatalogScreen::default();
        self.orders = OrdersScreen::default();
        self.purchasing = PurchasingScreen::default();
        self.messages = MessagesScreen::default();
        self.dashboard = DashboardScreen::default();
        self.reorder = ReorderScreen::default();
        self.picklist = PickListWindow::default();
        self.data_version += 1;
        self.load_file_dialog_settings();
        self.dialog = match read_only {
            Some(ReadOnlyReason::Damaged(message)) => Some(Dialog::Damaged { message }),
            _ => None,
        };
        self.set_status(status.0, status.1);
    }

    /// True when this window may replace its file with a backup: it holds the writer lock (a
    /// damaged file is read-only but its writer may still restore).
    pub(super) fn can_restore(&self) -> bool {
        self.store.is_some() && self.lock.as_ref().is_some_and(ShopLock::is_writer)
    }

    pub(super) fn open_failed(&mut self, path: &Path, message: String, offer_read_only: bool) {
        self.dialog = Some(Dialog::OpenFailed {
            path: path.to_owned(),
            message,
            offer_read_only,
        });
    }

    /// Reads the shop's remembered folders and its file dialog choice.
    pub(super) fn load_file_dialog_settings(&self) {
        let Some(store) = &self.store else { return };
        let folders = FileKind::ALL
            .into_iter()
            .filter_map(|kind| {
                store
                    .setting(kind.setting())
                    .ok()
                    .flatten()
                    .filter(|folder| !folder.is_empty())
                    .map(|folder| (kind, PathBuf::from(folder)))
            })
            .collect();
        file_dialog::set_folders(&self.ctx, folders);
        if store
            .setting(file_dialog::USE_BUILTIN_SETTING)
            .ok()
            .flatten()
            .is_some_and(|value| value == "builtin")
        {
            file_dialog::set_native(&self.ctx, Native::BuiltIn);
        }
    }

    /// Restores a confirmed backup: checked while the shop stays open, then the shop is closed
    /// (every connection of this window, its workers' too), replaced (after a backup of it)
    /// while no other copy has it open, and opened again.
    pub(super) fn restore_backup(&mut self, backup: &Path) {
        let Some(store) = &self.store else { return };
        let db = store.path().to_owned();
        let opener = store.opener();
        if self.demo_job.is_some()
            || self.import.is_some()
            || self.undo.is_some()
            || self.export.is_some()
        {
            self.set_status(
                "Wait for the running import, export or demo to finish, then restore",
                true,
            );
            return;
        }
        if !self.can_restore() {
            self.set_status(format!("Not restored: {READ_ONLY_REFUSAL}"), true);
            return;
        }
        if let Err(error) = check_backup_file(backup) {
            self.set_status(format!("Not restored: {error}"), true);
            return;
        }
        self.store = None;
        // Workers still reading (a dashboard, the catalog) finish first.
        let start = std::time::Instant::now();
        while opener.open_stores() > 0 && start.elapsed() < std::time::Duration::from_secs(10) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let result = if opener.open_stores() > 0 {
            Err("a screen is still reading the shop file; try again in a moment. Nothing was changed.".to_owned())
        } else if let Some(lock) = &mut self.lock {
            let clock = self.clock;
            match lock.exclusively(|| restore(&db, backup, &clock)) {
                Ok(Ok(report)) => Ok(report),
                Ok(Err(error)) => Err(error.to_string()),
                Err(refused) => Err(refused.to_string()),
            }
        } else {
            Err(READ_ONLY_REFUSAL.to_owned())
        };
        self.open_file(&db);
        match result {
            Ok(report) => {
                let previous = if report.previous.as_os_str().is_empty() {
                    String::new()
                } else {
                    format!(
                        "; the file as it was is kept as {}",
                        file_name(&report.previous)
                    )
                };
                self.set_status(
                    format!(
                        "Restored {} ({} products, {} orders){previous}",
                        file_name(&report.restored_from),
                        report.checked.products,
                        report.checked.orders
                    ),
                    false,
                );
            }
            Err(error) => self.set_status(format!("Not restored: {error}"), true),
        }
    }
}
