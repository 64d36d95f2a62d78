//! Every file the window asks for (import, export, PDF, .eml, shop file, backup, chart) goes
//! through here: the system's file dialog when it can open, else a file dialog drawn in the
//! window, never nothing.
//!
//! How we tell that the system dialog cannot open: on Linux rfd asks the desktop portal over
//! D-Bus and falls back to `zenity`; when neither is there it returns "nothing chosen" at
//! once, exactly as if the shop owner had cancelled. So the built-in dialog is used
//! - when the shop chose it ("Use the built-in file dialog", kept in the shop's settings),
//! - when there is no D-Bus session bus and no `zenity` on the `PATH` (checked before asking),
//! - when the system dialog comes back empty in less than [`TOO_FAST`]: nobody cancels a
//!   dialog that quickly, so it did not open; from then on this window uses the built-in one,
//! - and when the system dialog gives no answer within [`NATIVE_TIMEOUT`] (a desktop portal
//!   that takes the request and never shows a dialog): the built-in one opens, and a late
//!   answer of the system dialog is ignored.
//!
//! The system dialog is started through a [`NativeLauncher`] the window holds (production:
//! rfd; on Linux on a thread of its own, so the window keeps drawing and can time it out).
//! Tests put in launchers that are unavailable or never answer, and a timeout of their own.
//!
//! The folder a file was chosen in is remembered per kind of file and kept in the shop's
//! settings (`last_folder_<kind>`): the next dialog of that kind starts there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::Id;

/// A system dialog that returns empty faster than this did not open.
pub const TOO_FAST: Duration = Duration::from_millis(250);

/// A system dialog that has not answered after this long is taken for one that never opened.
pub const NATIVE_TIMEOUT: Duration = Duration::from_mins(2);

/// What starting the system's file dialog gave.
pub enum NativeLaunch {
    /// It cannot open here (no desktop portal, no zenity).
    Unavailable,
    /// It ran on this thread and answered: the file chosen, or `None` (cancelled, or it did not
    /// open when that was faster than [`TOO_FAST`]).
    Answered(Option<PathBuf>),
    /// It runs on a thread of its own; its answer comes through the channel.
    Pending(Receiver<Option<PathBuf>>),
}

/// Starts the system's file dialog for a request, in a folder (see [`set_native_launcher`]).
pub type NativeLauncher =
    Arc<dyn Fn(&FileRequest, Option<&Path>) -> NativeLaunch + Send + Sync + 'static>;

/// A system dialog waiting for its answer.
struct PendingNative {
    request: FileRequest,
    folder: Option<PathBuf>,
    answer: Receiver<Option<PathBuf>>,
    started: Instant,
}

/// Kinds of files, each with its own last folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Import,
    Export,
    Pdf,
    Eml,
    ShopFile,
    Backup,
    Chart,
}

impl FileKind {
    pub const ALL: [Self; 7] = [
        Self::Import,
        Self::Export,
        Self::Pdf,
        Self::Eml,
        Self::ShopFile,
        Self::Backup,
        Self::Chart,
    ];

    /// The shop setting that keeps its last folder.
    pub fn setting(self) -> &'static str {
        match self {
            Self::Import => "last_folder_import",
            Self::Export => "last_folder_export",
            Self::Pdf => "last_folder_pdf",
            Self::Eml => "last_folder_eml",
            Self::ShopFile => "last_folder_shop_file",
            Self::Backup => "last_folder_backup",
            Self::Chart => "last_folder_chart",
        }
    }
}

/// The shop setting: `builtin` to always use the file dialog drawn in the window.
pub const USE_BUILTIN_SETTING: &str = "file_dialog";

/// Which dialog to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Native {
    /// The system's dialog when it seems available; the built-in one when it does not open.
    #[default]
    Auto,
    /// Always the built-in dialog (the shop's choice, or the system's did not open).
    BuiltIn,
}

/// What to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRequest {
    /// Who takes the answer of the built-in dialog (see [`answer`]), e.g. `import:products`.
    pub purpose: String,
    pub kind: FileKind,
    pub title: String,
    /// A file to write (else one to read).
    pub save: bool,
    pub file_name: Option<String>,
    /// Name and extensions (without the dot) of each filter; `*` for all files.
    pub filters: Vec<(String, Vec<String>)>,
    /// Start here instead of the kind's last folder.
    pub directory: Option<PathBuf>,
}

impl FileRequest {
    /// A file to read.
    pub fn open(purpose: impl Into<String>, kind: FileKind, title: impl Into<String>) -> Self {
        Self {
            purpose: purpose.into(),
            kind,
            title: title.into(),
            save: false,
            file_name: None,
            filters: Vec::new(),
            directory: None,
        }
    }

    /// A file to write, suggesting `file_name`.
    pub fn save(
        purpose: impl Into<String>,
        kind: FileKind,
        title: impl Into<String>,
        file_name: impl Into<String>,
    ) -> Self {
        Self {
            save: true,
            file_name: Some(file_name.into()),
            ..Self::open(purpose, kind, title)
        }
    }

    #[must_use]
    pub fn filter(mut self, name: &str, extensions: &[&str]) -> Self {
        self.filters.push((
            name.to_owned(),
            extensions.iter().map(|e| (*e).to_owned()).collect(),
        ));
        self
    }

    #[must_use]
    pub fn directory(mut self, folder: impl Into<PathBuf>) -> Self {
        self.directory = Some(folder.into());
        self
    }

    /// True when `path`'s extension is one of the filters' (or a filter takes all files).
    fn accepts(&self, path: &Path) -> bool {
        if self.filters.is_empty() {
            return true;
        }
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        self.filters.iter().any(|(_, extensions)| {
            extensions
                .iter()
                .any(|e| e == "*" || e.eq_ignore_ascii_case(&extension))
        })
    }

    /// The first filter's extension, added to a name to save without one.
    fn default_extension(&self) -> Option<&str> {
        self.filters
            .first()
            .and_then(|(_, extensions)| extensions.first())
            .map(String::as_str)
            .filter(|e| *e != "*")
    }
}

/// The dialog's state, shared by every screen of one window.
#[derive(Default)]
struct Picker {
    native: Native,
    /// How the system dialog is started (`None`: rfd) and how long it may take to answer
    /// (`None`: [`NATIVE_TIMEOUT`]).
    launcher: Option<NativeLauncher>,
    timeout: Option<Duration>,
    /// The system dialog, while it runs on its own thread.
    pending: Option<PendingNative>,
    /// The built-in dialog, while open, and what it was opened for.
    open: Option<(FileRequest, BuiltinDialog)>,
    /// Answers of the built-in dialog not taken yet: purpose → path.
    answers: Vec<(String, PathBuf)>,
    folders: BTreeMap<FileKind, PathBuf>,
    /// Folders remembered since the window last saved them.
    changed: bool,
    /// Said once when the system dialog did not open.
    notice: Option<String>,
}

fn picker(ctx: &egui::Context) -> Arc<Mutex<Picker>> {
    ctx.data_mut(|data| {
        data.get_temp_mut_or_insert_with(Id::unique("backorder_desk_file_dialog"), || {
            Arc::new(Mutex::new(Picker::default()))
        })
        .clone()
    })
}

fn with<R>(ctx: &egui::Context, work: impl FnOnce(&mut Picker) -> R) -> R {
    let shared = picker(ctx);
    let mut guard = match shared.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    work(&mut guard)
}

/// Chooses which dialog to use (the shop's setting, or tests).
pub fn set_native(ctx: &egui::Context, native: Native) {
    with(ctx, |picker| picker.native = native);
}

/// Starts system dialogs through `launcher`, and takes one that has not answered after
/// `timeout` for one that did not open (tests: a dialog that is unavailable or hangs, without
/// waiting real time).
pub fn set_native_launcher(ctx: &egui::Context, launcher: NativeLauncher, timeout: Duration) {
    with(ctx, |picker| {
        picker.launcher = Some(launcher);
        picker.timeout = Some(timeout);
    });
}

/// True while the system dialog runs and its answer is awaited.
pub fn is_waiting_for_system_dialog(ctx: &egui::Context) -> bool {
    with(ctx, |picker| picker.pending.is_some())
}

pub fn native(ctx: &egui::Context) -> Native {
    with(ctx, |picker| picker.native)
}

/// The last folders of a shop (read from its settings when it opens).
pub fn set_folders(ctx: &egui::Context, folders: BTreeMap<FileKind, PathBuf>) {
    with(ctx, |picker| {
        picker.folders = folders;
        picker.changed = false;
    });
}

/// The last folders, once after one changed (for the window to keep in the shop's settings).
pub fn take_changed_folders(ctx: &egui::Context) -> Option<BTreeMap<FileKind, PathBuf>> {
    with(ctx, |picker| {
        if picker.changed {
            picker.changed = false;
            Some(picker.folders.clone())
        } else {
            None
        }
    })
}

/// What to tell the shop owner once (the system dialog did not open).
pub fn take_notice(ctx: &egui::Context) -> Option<String> {
    with(ctx, |picker| picker.notice.take())
}

/// True while the built-in dialog is open.
pub fn is_open(ctx: &egui::Context) -> bool {
    with(ctx, |picker| picker.open.is_some())
}

/// Asks for a file. `Some`: chosen now (system dialog). `None`: cancelled, or the built-in
/// dialog opened and its answer comes later through [`answer`] with the request's purpose.
pub fn choose(ctx: &egui::Context, request: FileRequest) -> Option<PathBuf> {
    let (native, folder, launcher) = with(ctx, |picker| {
        let folder = request
            .directory
            .clone()
            .or_else(|| picker.folders.get(&request.kind).cloned())
            .filter(|folder| folder.is_dir());
        (picker.native, folder, picker.launcher.clone())
    });
    if native == Native::Auto {
        let launcher = launcher.unwrap_or_else(|| Arc::new(rfd_launcher));
        let started = Instant::now();
        match launcher(&request, folder.as_deref()) {
            NativeLaunch::Answered(Some(path)) => {
                remember(ctx, request.kind, &path);
                return Some(path);
            }
            // Cancelled by the shop owner.
            NativeLaunch::Answered(None) if started.elapsed() >= TOO_FAST => return None,
            NativeLaunch::Answered(None) | NativeLaunch::Unavailable => {
                did_not_open(ctx, "no desktop portal or zenity");
            }
            NativeLaunch::Pending(answer) => {
                with(ctx, |picker| {
                    picker.pending = Some(PendingNative {
                        request,
                        folder,
                        answer,
                        started,
                    });
                });
                ctx.request_repaint();
                return None;
            }
        }
    }
    open_builtin(ctx, request, folder);
    None
}

/// From now on this window uses its own dialog, and says why once.
fn did_not_open(ctx: &egui::Context, why: &str) {
    with(ctx, |picker| {
        picker.native = Native::BuiltIn;
        picker.notice = Some(format!(
            "The system's file dialog did not open ({why}); the file dialog of this window is used instead"
        ));
    });
}

/// Takes the system dialog's answer when it came; opens the built-in dialog when the system one
/// did not open or has not answered in time.
fn poll_native(ctx: &egui::Context) {
    let Some(pending) = with(ctx, |picker| picker.pending.take()) else {
        return;
    };
    let timeout = with(ctx, |picker| picker.timeout.unwrap_or(NATIVE_TIMEOUT));
    match pending.answer.try_recv() {
        Ok(Some(path)) => {
            remember(ctx, pending.request.kind, &path);
            with(ctx, |picker| {
                picker.answers.push((pending.request.purpose.clone(), path));
            });
            ctx.request_repaint();
        }
        // Cancelled by the shop owner.
        Ok(None) if pending.started.elapsed() >= TOO_FAST => {}
        Ok(None) | Err(TryRecvError::Disconnected) => {
            did_not_open(ctx, "no desktop portal or zenity");
            open_builtin(ctx, pending.request, pending.folder);
        }
        Err(TryRecvError::Empty) if pending.started.elapsed() >= timeout => {
            did_not_open(
                ctx,
                &format!("no answer within {} seconds", timeout.as_secs()),
            );
            open_builtin(ctx, pending.request, pending.folder);
        }
        Err(TryRecvError::Empty) => {
            with(ctx, |picker| picker.pending = Some(pending));
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }
}

/// The built-in dialog's answer for `purpose`, once.
pub fn answer(ctx: &egui::Context, purpose: &str) -> Option<PathBuf> {
    with(ctx, |picker| {
        let index = picker.answers.iter().position(|(p, _)| p == purpose)?;
        Some(picker.answers.remove(index).1)
    })
}

/// Answers for purposes starting with `prefix` (`import:` → `import:products`), once.
pub fn answer_starting(ctx: &egui::Context, prefix: &str) -> Option<(String, PathBuf)> {
    with(ctx, |picker| {
        let index = picker
            .answers
            .iter()
            .position(|(p, _)| p.starts_with(prefix))?;
        Some(picker.answers.remove(index))
    })
}

fn remember(ctx: &egui::Context, kind: FileKind, path: &Path) {
    let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) else {
        return;
    };
    with(ctx, |picker| {
        if picker.folders.get(&kind).map(PathBuf::as_path) != Some(folder) {
            picker.folders.insert(kind, folder.to_owned());
            picker.changed = true;
        }
    });
}

fn open_builtin(ctx: &egui::Context, request: FileRequest, folder: Option<PathBuf>) {
    let start = folder
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    let dialog = BuiltinDialog::new(request.clone(), start);
    with(ctx, |picker| picker.open = Some((request, dialog)));
    ctx.request_repaint();
}

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    name: String,
    is_dir: bool,
}

/// The file dialog drawn in the window: a folder, its subfolders and the files the request
/// accepts, a file name, Open or Save. Every field has a label (screen readers and tests reach
/// them by name).
struct BuiltinDialog {
    request: FileRequest,
    folder: PathBuf,
    folder_text: String,
    entries: Result<Vec<Entry>, String>,
    file_name: String,
    error: Option<String>,
    /// Saving over this existing file was asked about; a second click replaces it.
    replace: Option<PathBuf>,
    focus_pending: bool,
}

/// What the dialog's frame ended with.
enum Outcome {
    Open,
    Chosen(PathBuf),
    Cancelled,
}

impl BuiltinDialog {
    fn new(request: FileRequest, folder: PathBuf) -> Self {
        let file_name = request.file_name.clone().unwrap_or_default();
        let mut dialog = Self {
            request,
            folder: PathBuf::new(),
            folder_text: String::new(),
            entries: Ok(Vec::new()),
            file_name,
            error: None,
            replace: None,
            focus_pending: true,
        };
        dialog.enter(folder);
        dialog
    }

    fn enter(&mut self, folder: PathBuf) {
        self.entries = read_folder(&folder, &self.request);
        self.folder_text = folder.display().to_string();
        self.folder = folder;
        self.replace = None;
    }

    fn confirm(&mut self) -> Option<PathBuf> {
        let name = self.file_name.trim();
        if name.is_empty() {
            self.error = Some("Choose a file, or type its name".to_owned());
            return None;
        }
        let mut path = self.folder.join(name);
        if path.is_dir() {
            self.enter(path);
            self.file_name.clear();
            return None;
        }
        if self.request.save {
            if path.extension().is_none()
                && let Some(extension) = self.request.default_extension()
            {
                path.set_extension(extension);
            }
            if !self.folder.is_dir() {
                self.error = Some(format!(
                    "The folder {} does not exist",
                    self.folder.display()
                ));
                return None;
            }
            if path.exists() && self.replace.as_ref() != Some(&path) {
                self.error = Some(format!(
                    "{} exists already: click Replace to write over it, or change the name",
                    path.file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                ));
                self.replace = Some(path);
                return None;
            }
            Some(path)
        } else if path.is_file() {
            Some(path)
        } else {
            self.error = Some(format!("There is no file {name} in this folder"));
            None
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the window's own file dialog drawn top to bottom in egui's immediate mode: places, folder, files, name, buttons"
    )]
    fn ui(&mut self, ctx: &egui::Context) -> Outcome {
        let mut outcome = Outcome::Open;
        egui::Modal::new(Id::unique("builtin_file_dialog")).show(ctx, |ui| {
            ui.set_width(560.0_f32.min(ctx.content_rect().width() - 40.0));
            ui.heading(&self.request.title);
            ui.horizontal(|ui| {
                let label = ui.label("Folder");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.folder_text)
                            .desired_width(ui.available_width() - 130.0),
                    )
                    .labelled_by(label.id);
                let go = ui.button("Go").clicked()
                    || (field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
                if go {
                    self.enter(PathBuf::from(self.folder_text.trim()));
                }
                let parent = self.folder.parent().map(Path::to_path_buf);
                if ui
                    .add_enabled(parent.is_some(), egui::Button::new("Up"))
                    .on_hover_text("The folder above")
                    .clicked()
                    && let Some(parent) = parent
                {
                    self.enter(parent);
                }
            });
            ui.separator();
            let mut enter = None;
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .auto_shrink([false, true])
                .show(ui, |ui| match &self.entries {
                    Err(message) => {
                        ui.colored_label(super::theme::ERROR, message);
                    }
                    Ok(entries) if entries.is_empty() => {
                        ui.label(
                            egui::RichText::new("No folders or matching files here")
                                .color(super::theme::MUTED),
                        );
                    }
                    Ok(entries) => {
                        for entry in entries {
                            let text = if entry.is_dir {
                                format!("{}/", entry.name)
                            } else {
                                entry.name.clone()
                            };
                            let selected = !entry.is_dir && self.file_name == entry.name;
                            let response = ui.selectable_label(selected, text);
                            if response.clicked() {
                                if entry.is_dir {
                                    enter = Some(self.folder.join(&entry.name));
                                } else {
                                    self.file_name.clone_from(&entry.name);
                                    self.error = None;
                                    self.replace = None;
                                }
                            }
                            if response.double_clicked() && !entry.is_dir {
                                outcome = Outcome::Chosen(self.folder.join(&entry.name));
                            }
                        }
                    }
                });
            if let Some(folder) = enter {
                self.enter(folder);
            }
            ui.separator();
            let filters: Vec<String> = self
                .request
                .filters
                .iter()
                .map(|(name, extensions)| {
                    let list: Vec<String> = extensions.iter().map(|e| format!("*.{e}")).collect();
                    format!("{name} ({})", list.join(", "))
                })
                .collect();
            if !filters.is_empty() {
                ui.label(
                    egui::RichText::new(format!("Shows {}", filters.join("; ")))
                        .color(super::theme::MUTED),
                );
            }
            let mut submit = false;
            ui.horizontal(|ui| {
                let label = ui.label("File name");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.file_name)
                            .desired_width(ui.available_width()),
                    )
                    .labelled_by(label.id);
                if self.focus_pending {
                    field.request_focus();
                    self.focus_pending = false;
                }
                if field.changed() {
                    self.replace = None;
                }
                submit = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            });
            if let Some(error) = &self.error {
                ui.colored_label(super::theme::ERROR, error);
            }
            ui.horizontal(|ui| {
                let verb = match (&self.replace, self.request.save) {
                    (Some(_), _) => "Replace",
                    (None, true) => "Save",
                    (None, false) => "Open",
                };
                if (ui.button(verb).clicked() || submit)
                    && let Some(path) = self.confirm()
                {
                    outcome = Outcome::Chosen(path);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    outcome = Outcome::Cancelled;
                }
            });
        });
        outcome
    }
}

/// Subfolders, then the files `request` accepts, by name (hidden ones left out).
fn read_folder(folder: &Path, request: &FileRequest) -> Result<Vec<Entry>, String> {
    let read = std::fs::read_dir(folder)
        .map_err(|error| format!("Cannot read the folder {}: {error}", folder.display()))?;
    let mut entries: Vec<Entry> = read
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                return None;
            }
            let path = entry.path();
            let is_dir = path.is_dir();
            (is_dir || (path.is_file() && request.accepts(&path))).then_some(Entry { name, is_dir })
        })
        .collect();
    entries.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(entries)
}

/// Waits for the system dialog and draws the built-in dialog while open (call once per
/// frame).
pub fn show(ctx: &egui::Context) {
    poll_native(ctx);
    let shared = picker(ctx);
    let mut guard = match shared.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    let Some((request, dialog)) = &mut guard.open else {
        return;
    };
    let purpose = request.purpose.clone();
    let kind = request.kind;
    let path = match dialog.ui(ctx) {
        Outcome::Open => return,
        Outcome::Cancelled => {
            guard.open = None;
            return;
        }
        Outcome::Chosen(path) => path,
    };
    guard.open = None;
    guard.answers.push((purpose, path.clone()));
    drop(guard);
    remember(ctx, kind, &path);
    ctx.request_repaint();
}

/// False when the system dialog certainly cannot open: on Linux and the BSDs, no D-Bus session
/// bus (for the portal) and no `zenity` on the `PATH`.
pub fn system_dialog_may_open() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    zenity_on_path() || session_bus_present()
}

fn zenity_on_path() -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|folder| folder.join("zenity").is_file())
    })
}

fn session_bus_present() -> bool {
    match std::env::var("DBUS_SESSION_BUS_ADDRESS") {
        Ok(address) if !address.trim().is_empty() => {
            // `unix:path=/run/user/1000/bus`: the socket must be there; other transports
            // (abstract sockets, tcp) cannot be checked without connecting.
            address.split(';').any(|transport| {
                transport
                    .strip_prefix("unix:path=")
                    .is_none_or(|rest| Path::new(rest.split(',').next().unwrap_or(rest)).exists())
            })
        }
        _ => std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|folder| Path::new(&folder).join("bus").exists()),
    }
}

/// The production launcher: rfd. On macOS and Windows the dialog runs on this thread (macOS
/// wants its dialogs there); elsewhere on a thread of its own, so a desktop portal that never
/// answers cannot freeze the window.
fn rfd_launcher(request: &FileRequest, folder: Option<&Path>) -> NativeLaunch {
    if !system_dialog_may_open() {
        return NativeLaunch::Unavailable;
    }
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return NativeLaunch::Answered(system_dialog(request, folder));
    }
    let (sender, receiver) = std::sync::mpsc::channel();
    let request = request.clone();
    let folder = folder.map(Path::to_owned);
    let spawned = std::thread::Builder::new()
        .name("file-dialog".to_owned())
        .spawn(move || {
            // The window may have stopped waiting (timed out): then nobody takes the answer.
            let _ = sender.send(system_dialog(&request, folder.as_deref()));
        });
    match spawned {
        Ok(_) => NativeLaunch::Pending(receiver),
        Err(_) => NativeLaunch::Unavailable,
    }
}

fn system_dialog(request: &FileRequest, folder: Option<&Path>) -> Option<PathBuf> {
    let mut dialog = rfd::FileDialog::new().set_title(&request.title);
    if let Some(folder) = folder {
        dialog = dialog.set_directory(folder);
    }
    if let Some(name) = &request.file_name {
        dialog = dialog.set_file_name(name);
    }
    for (name, extensions) in &request.filters {
        dialog = dialog.add_filter(name, extensions);
    }
    if request.save {
        dialog.save_file()
    } else {
        dialog.pick_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_extensions() {
        let request = FileRequest::save("x", FileKind::Export, "Export", "products.csv")
            .filter("CSV", &["csv"]);
        assert!(request.accepts(Path::new("a/b.CSV")));
        assert!(!request.accepts(Path::new("a/b.pdf")));
        assert_eq!(request.default_extension(), Some("csv"));
        let any = FileRequest::open("y", FileKind::Import, "Import")
            .filter("CSV", &["csv"])
            .filter("All files", &["*"]);
        assert!(any.accepts(Path::new("notes.txt")));
    }
}
