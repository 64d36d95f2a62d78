//! The pick list window: make a list (all ready orders or chosen ones), print it, save or open
//! the PDF, mark it picked; earlier lists can be shown and printed again. Also the packing slip
//! of an order (a save dialog, then the PDF).

use std::collections::BTreeSet;
use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::app::Clock;
use crate::app::jobs::Job;
use crate::app::picklist::{
    DocumentSettings, PickListRequest, PickListSheet, create_pick_list, document_settings,
    load_packing_slip, load_pick_list, order_of_work, packing_slip_pdf, pick_list_pdf, write_pdf,
};
use crate::app::print::{open_in_viewer, print_pdf, printers};
use crate::domain::picklist::{Paper, PickLayout, totals};
use crate::store::Store;
use crate::store::orders::{OrderFilter, OrderId, OrderSummary, order_summaries};
use crate::store::picklist::{PickListStatus, StoredPickList, recent_pick_lists};
use crate::ui::shared::command::{AppCommand, PickListCommand};
use crate::ui::shared::confirm;
use crate::ui::shared::file_dialog::{self, FileKind, FileRequest};
use crate::ui::shared::format;
use crate::ui::shared::theme;

/// Most ready orders offered for choosing.
const CHOICE_LIMIT: usize = 500;
/// Earlier lists shown.
const RECENT_LIMIT: usize = 12;

/// What running a command did, for the status line.
#[derive(Debug, Default)]
pub struct Outcome {
    pub status: Option<(String, bool)>,
    /// The shop changed: screens reload.
    pub changed: bool,
}

/// A rendered PDF in a temporary file.
struct Rendered {
    list_number: String,
    status: PickListStatus,
    summary: String,
    path: PathBuf,
}

#[derive(Default)]
pub struct PickListWindow {
    open: bool,
    layout: PickLayout,
    paper: Option<Paper>,
    choose: bool,
    chosen: BTreeSet<String>,
    ready: Vec<OrderSummary>,
    recent: Vec<StoredPickList>,
    loaded_for: Option<u64>,
    job: Option<Job<Result<Rendered, String>>>,
    slip_jobs: Vec<Job<Result<String, String>>>,
    current: Option<Rendered>,
    printer_choice: Option<Result<Vec<String>, String>>,
    printer: String,
    confirm_picked: Option<String>,
    message: Option<(String, bool)>,
}

fn temp_pdf_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("backorder-desk-{name}.pdf"))
}

fn render_job(
    ctx: &egui::Context,
    sheet: PickListSheet,
    settings: DocumentSettings,
    layout: PickLayout,
    paper: Paper,
) -> std::io::Result<Job<Result<Rendered, String>>> {
    let wake = ctx.clone();
    Job::spawn(
        format!("Pick list {}", sheet.list_number),
        move |_| {
            let bytes =
                pick_list_pdf(&sheet, &settings, layout, paper).map_err(|e| e.to_string())?;
            let path = temp_pdf_path(&format!(
                "{}-{}-{}",
                sheet.list_number,
                layout.code(),
                paper.code()
            ));
            write_pdf(&path, &bytes).map_err(|e| e.to_string())?;
            let sum = totals(&sheet.orders);
            Ok(Rendered {
                list_number: sheet.list_number.clone(),
                status: sheet.status,
                summary: format!(
                    "{} orders · {} lines · {} units · {} · {}",
                    sum.orders,
                    sum.lines,
                    sum.units,
                    layout.label().to_lowercase(),
                    paper.label()
                ),
                path,
            })
        },
        move || wake.request_repaint(),
    )
}

impl PickListWindow {
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Runs a command from the window or the Orders screen.
    pub fn run(
        &mut self,
        ctx: &egui::Context,
        store: &mut Store,
        clock: &Clock,
        command: PickListCommand,
    ) -> Outcome {
        let settings = match document_settings(store) {
            Ok(settings) => settings,
            Err(error) => {
                return Outcome {
                    status: Some((format!("Cannot read the settings: {error}"), true)),
                    changed: false,
                };
            }
        };
        match command {
            PickListCommand::Open => {
                self.open = true;
                self.paper.get_or_insert(settings.paper);
                Outcome::default()
            }
            PickListCommand::Create {
                layout,
                paper,
                orders,
            } => match create_pick_list(store, &PickListRequest { layout, orders }, clock) {
                Ok(sheet) => {
                    let number = sheet.list_number.clone();
                    self.start(ctx, sheet, settings, layout, paper);
                    Outcome {
                        status: Some((format!("Pick list {number} made"), false)),
                        changed: true,
                    }
                }
                Err(error) => {
                    self.message = Some((error.to_string(), true));
                    Outcome::default()
                }
            },
            PickListCommand::Show {
                list_number,
                layout,
                paper,
            } => {
                match load_pick_list(store, &list_number) {
                    Ok(sheet) => self.start(ctx, sheet, settings, layout, paper),
                    Err(error) => self.message = Some((error.to_string(), true)),
                }
                Outcome::default()
            }
            PickListCommand::MarkPicked(list_number) => {
                match crate::app::undo_stack::mark_picked(store, &list_number, clock) {
                    Ok(report) => {
                        if let Some(current) = &mut self.current
                            && current.list_number == report.list_number
                        {
                            current.status = PickListStatus::Picked;
                        }
                        let text = format!(
                            "Pick list {} picked: shipped {} units of {}; Edit › Undo takes it back",
                            report.list_number,
                            report.units,
                            report.orders.join(", ")
                        );
                        self.message = Some((text.clone(), false));
                        Outcome {
                            status: Some((text, false)),
                            changed: true,
                        }
                    }
                    Err(error) => {
                        self.message = Some((error.to_string(), true));
                        Outcome {
                            status: Some((error.to_string(), true)),
                            changed: false,
                        }
                    }
                }
            }
            PickListCommand::PackingSlip(order_id) => {
                self.packing_slip(ctx, store, *clock, settings, order_id, None)
            }
            PickListCommand::PackingSlipTo(order_id, path) => {
                self.packing_slip(ctx, store, *clock, settings, order_id, Some(path))
            }
        }
    }

    fn start(
        &mut self,
        ctx: &egui::Context,
        sheet: PickListSheet,
        settings: DocumentSettings,
        layout: PickLayout,
        paper: Paper,
    ) {
        self.open = true;
        self.message = None;
        match render_job(ctx, sheet, settings, layout, paper) {
            Ok(job) => self.job = Some(job),
            Err(error) => {
                self.message = Some((format!("Cannot start writing the PDF: {error}"), true));
            }
        }
    }

    /// Asks where to save (on this thread), then writes the slip on a worker.
    fn packing_slip(
        &mut self,
        ctx: &egui::Context,
        store: &Store,
        clock: Clock,
        settings: DocumentSettings,
        order_id: OrderId,
        chosen: Option<PathBuf>,
    ) -> Outcome {
        let failed = |message: String| Outcome {
            status: Some((format!("Packing slip not written: {message}"), true)),
            changed: false,
        };
        let slip = match crate::store::orders::order_summary(store.connection(), order_id)
            .map_err(|e| e.to_string())
            .and_then(|summary| {
                load_packing_slip(store, &summary.order_number, settings.date_style)
                    .map_err(|e| e.to_string())
            }) {
            Ok(slip) => slip,
            Err(message) => return failed(message),
        };
        let chosen = chosen.or_else(|| {
            file_dialog::choose(
                ctx,
                FileRequest::save(
                    format!("packing-slip:{}", order_id.0),
                    FileKind::Pdf,
                    "Save packing slip",
                    format!("packing-slip-{}.pdf", slip.order_number),
                )
                .filter("PDF", &["pdf"]),
            )
        });
        // Nothing yet: cancelled, or the window's file dialog answers later.
        let Some(path) = chosen else {
            return Outcome::default();
        };
        let wake = ctx.clone();
        let job = Job::spawn(
            format!("Packing slip {}", slip.order_number),
            move |_| {
                let bytes = packing_slip_pdf(&slip, &settings, settings.paper, clock.now())
                    .map_err(|e| e.to_string())?;
                write_pdf(&path, &bytes).map_err(|e| e.to_string())?;
                Ok(format!(
                    "Packing slip {} saved to {}",
                    slip.order_number,
                    path.display()
                ))
            },
            move || wake.request_repaint(),
        );
        match job {
            Ok(job) => {
                self.slip_jobs.push(job);
                Outcome::default()
            }
            Err(error) => failed(error.to_string()),
        }
    }

    /// The outcome of finished packing slips, for the status line (call every frame).
    pub fn take_status(&mut self) -> Option<(String, bool)> {
        for index in 0..self.slip_jobs.len() {
            if let Some(result) = self.slip_jobs[index].poll() {
                self.slip_jobs.remove(index);
                return Some(match result.and_then(|inner| inner) {
                    Ok(text) => (text, false),
                    Err(message) => (format!("Packing slip not written: {message}"), true),
                });
            }
        }
        None
    }

    fn refresh(&mut self, store: &Store, version: u64) {
        if self.loaded_for == Some(version) {
            return;
        }
        self.loaded_for = Some(version);
        self.ready = order_summaries(store.connection(), OrderFilter::Ready, "", CHOICE_LIMIT)
            .unwrap_or_default();
        // Listed in the order of work the list will have: waited first, then priority, then
        // the oldest (orders off the plan, e.g. held for payment, by date after them).
        let work = order_of_work(store).unwrap_or_default();
        let rank = |number: &str| work.iter().position(|n| n == number).unwrap_or(usize::MAX);
        self.ready.sort_by(|a, b| {
            rank(&a.order_number)
                .cmp(&rank(&b.order_number))
                .then_with(|| a.ordered_at.cmp(&b.ordered_at))
        });
        let numbers: BTreeSet<&str> = self.ready.iter().map(|o| o.order_number.as_str()).collect();
        self.chosen
            .retain(|number| numbers.contains(number.as_str()));
        self.recent = recent_pick_lists(store.connection(), RECENT_LIMIT).unwrap_or_default();
    }

    fn poll(&mut self) {
        let Some(job) = &self.job else { return };
        let Some(result) = job.poll() else { return };
        self.job = None;
        match result.and_then(|inner| inner) {
            Ok(rendered) => self.current = Some(rendered),
            Err(message) => self.message = Some((format!("PDF not written: {message}"), true)),
        }
    }

    /// Draws the window when open.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        store: &Store,
        version: u64,
        commands: &mut Vec<AppCommand>,
    ) {
        self.poll();
        if let Some(to) = file_dialog::answer(ctx, "picklist:pdf")
            && let Some(from) = self.current.as_ref().map(|current| current.path.clone())
        {
            self.copy_pdf(&from, &to);
        }
        if let Some((purpose, path)) = file_dialog::answer_starting(ctx, "packing-slip:")
            && let Some(order_id) = purpose
                .strip_prefix("packing-slip:")
                .and_then(|id| id.parse().ok())
        {
            commands.push(AppCommand::PickList(PickListCommand::PackingSlipTo(
                OrderId(order_id),
                path,
            )));
        }
        if !self.open {
            return;
        }
        self.refresh(store, version);
        let mut open = self.open;
        egui::Window::new("Pick list")
            .open(&mut open)
            .collapsible(false)
            .resizable(true)
            .default_width(560.0)
            .default_pos([360.0, 90.0])
            .show(ctx, |ui| self.contents_ui(ui, commands));
        self.open = open;
        if let Some(number) = self.confirm_picked.take() {
            // Asked by the window with the counts; undone with Edit › Undo.
            commands.push(AppCommand::AskFirst(confirm::Bulk::MarkPicked(number)));
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the pick list window drawn top to bottom in egui's immediate mode: layout, paper, orders, earlier lists"
    )]
    fn contents_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let paper = *self.paper.get_or_insert(Paper::Letter);
        egui::Grid::new("picklist_options")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.label("Layout");
                ui.horizontal(|ui| {
                    for layout in PickLayout::ALL {
                        ui.radio_value(&mut self.layout, layout, layout.label());
                    }
                });
                ui.end_row();
                ui.label("Paper");
                ui.horizontal(|ui| {
                    for choice in Paper::ALL {
                        if ui.radio(paper == choice, choice.label()).clicked() {
                            self.paper = Some(choice);
                        }
                    }
                });
                ui.end_row();
                ui.label("Orders");
                ui.horizontal(|ui| {
                    ui.radio_value(
                        &mut self.choose,
                        false,
                        format!("All ready orders ({})", self.ready.len()),
                    );
                    ui.radio_value(&mut self.choose, true, "Chosen orders");
                });
                ui.end_row();
            });
        if self.choose {
            egui::ScrollArea::vertical()
                .id_salt("picklist_choice")
                .max_height(150.0)
                .show(ui, |ui| {
                    if self.ready.is_empty() {
                        ui.label(RichText::new("No order is ready to pick").color(theme::MUTED));
                    }
                    for order in &self.ready {
                        let mut on = self.chosen.contains(&order.order_number);
                        let text = format!(
                            "{} · {} · {} reserved{}",
                            order.order_number,
                            order.customer_name,
                            order.units_reserved,
                            if order.units_waiting > 0 {
                                format!(", {} waiting", order.units_waiting)
                            } else {
                                String::new()
                            }
                        );
                        if ui.checkbox(&mut on, text).changed() {
                            if on {
                                self.chosen.insert(order.order_number.clone());
                            } else {
                                self.chosen.remove(&order.order_number);
                            }
                        }
                    }
                });
        }
        ui.add_space(4.0);
        let can_make = self.job.is_none() && (!self.choose || !self.chosen.is_empty());
        if ui
            .add_enabled(can_make, egui::Button::new("Make pick list"))
            .clicked()
        {
            commands.push(AppCommand::PickList(PickListCommand::Create {
                layout: self.layout,
                paper,
                orders: self.choose.then(|| self.chosen.iter().cloned().collect()),
            }));
        }
        ui.separator();
        if let Some(job) = &self.job {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Writing {}…", job.title));
            });
        }
        if self.current.is_some() {
            self.current_ui(ui);
        }
        if let Some((text, is_error)) = &self.message {
            let color = if *is_error { theme::ERROR } else { theme::OK };
            ui.colored_label(color, text);
        }
        if !self.recent.is_empty() {
            if self.current.is_some() || self.job.is_some() || self.message.is_some() {
                ui.separator();
            }
            ui.label(RichText::new("Earlier pick lists").strong());
            let mut show = None;
            egui::Grid::new("picklist_recent")
                .num_columns(5)
                .striped(true)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    for list in &self.recent {
                        ui.label(&list.list_number);
                        ui.label(format::formats(ui.ctx()).stamp(&list.created_at, true));
                        ui.label(list.layout.label());
                        let color = match list.status {
                            PickListStatus::Open => theme::WARNING,
                            PickListStatus::Picked => theme::MUTED,
                        };
                        ui.label(RichText::new(list.status.label()).color(color));
                        if ui
                            .add_enabled(self.job.is_none(), egui::Button::new("Show").small())
                            .on_hover_text("Make the PDF of this list again")
                            .clicked()
                        {
                            show = Some(list.list_number.clone());
                        }
                        ui.end_row();
                    }
                });
            if let Some(list_number) = show {
                commands.push(AppCommand::PickList(PickListCommand::Show {
                    list_number,
                    layout: self.layout,
                    paper,
                }));
            }
        }
    }

    fn current_ui(&mut self, ui: &mut Ui) {
        let Some(current) = &self.current else { return };
        let path = current.path.clone();
        let list_number = current.list_number.clone();
        ui.horizontal(|ui| {
            ui.label(RichText::new(&current.list_number).heading().strong());
            let (text, color) = match current.status {
                PickListStatus::Open => ("Open", theme::WARNING),
                PickListStatus::Picked => ("Picked", theme::OK),
            };
            ui.label(RichText::new(text).strong().color(color));
        });
        ui.label(RichText::new(&current.summary).color(theme::MUTED));
        let is_open = current.status == PickListStatus::Open;
        ui.horizontal(|ui| {
            if ui.button("Print…").clicked() {
                self.printer_choice = Some(printers().map_err(|e| e.to_string()));
            }
            if ui.button("Save PDF…").clicked() {
                self.save_copy(ui.ctx(), &path, &list_number);
            }
            if ui.button("Open PDF").clicked() {
                self.message = match open_in_viewer(&path) {
                    Ok(()) => None,
                    Err(error) => Some((error.to_string(), true)),
                };
            }
            if ui
                .add_enabled(is_open, egui::Button::new("Mark picked…"))
                .on_disabled_hover_text("This list was already picked")
                .clicked()
            {
                self.confirm_picked = Some(list_number.clone());
            }
        });
        self.printer_ui(ui, &path);
    }

    fn printer_ui(&mut self, ui: &mut Ui, path: &std::path::Path) {
        let Some(choice) = &self.printer_choice else {
            return;
        };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| match choice {
            Err(message) => {
                ui.colored_label(theme::ERROR, message);
                if ui.button("Close").clicked() {
                    close = true;
                }
            }
            Ok(names) => {
                if names.is_empty() {
                    ui.colored_label(
                        theme::ERROR,
                        "No printer is set up on this computer; save the PDF instead",
                    );
                    if ui.button("Close").clicked() {
                        close = true;
                    }
                    return;
                }
                if self.printer.is_empty() || !names.contains(&self.printer) {
                    self.printer.clone_from(&names[0]);
                }
                ui.horizontal(|ui| {
                    let label = ui.label("Printer");
                    egui::ComboBox::from_id_salt("picklist_printer")
                        .selected_text(self.printer.clone())
                        .show_ui(ui, |ui| {
                            for name in names {
                                ui.selectable_value(&mut self.printer, name.clone(), name);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if ui.button("Print").clicked() {
                        self.message = Some(match print_pdf(path, Some(&self.printer)) {
                            Ok(answer) => (
                                format!("Sent to {}. {answer}", self.printer)
                                    .trim()
                                    .to_owned(),
                                false,
                            ),
                            Err(error) => (error.to_string(), true),
                        });
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            }
        });
        if close {
            self.printer_choice = None;
        }
    }

    fn save_copy(&mut self, ctx: &egui::Context, from: &std::path::Path, list_number: &str) {
        let Some(to) = file_dialog::choose(
            ctx,
            FileRequest::save(
                "picklist:pdf",
                FileKind::Pdf,
                "Save pick list",
                format!("pick-list-{list_number}.pdf"),
            )
            .filter("PDF", &["pdf"]),
        ) else {
            return;
        };
        self.copy_pdf(from, &to);
    }

    /// Copies the shown list's PDF to where the shop chose.
    fn copy_pdf(&mut self, from: &std::path::Path, to: &std::path::Path) {
        self.message = Some(match std::fs::copy(from, to) {
            Ok(_) => (format!("Saved to {}", to.display()), false),
            Err(error) => (format!("Cannot save to {}: {error}", to.display()), true),
        });
    }
}
