//! Asking first: actions that change many orders or products at once show what they will
//! change, with counts, and say how to take it back (Edit › Undo). Edit › Undo itself shows
//! what it will put back, or why it cannot.

use chrono::NaiveDate;
use egui::{Id, Key, Modal, RichText, TextEdit};

use super::theme;
use crate::app::undo_stack::UndoReport;
use crate::store::orders::{OrderId, order_detail};
use crate::store::purchasing::{po_detail, po_id_by_number};
use crate::store::{ProductId, Store};

/// An action that changes more than one order or product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bulk {
    /// The policy advisor's suggestions for these products.
    ApplyAdvice(Vec<ProductId>),
    /// Everything open on a purchase order arrives on `date`.
    ReceiveAll { po_number: String, date: NaiveDate },
    /// Every reserved unit of an order ships (with a tracking number).
    ShipOrder(OrderId),
    /// Every unit on a pick list ships.
    MarkPicked(String),
}

/// What the dialog asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    Bulk(Bulk),
    /// Edit › Undo.
    Undo,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Waiting,
    /// Go ahead (with the tracking number typed, when one was asked for).
    Yes {
        tracking_number: String,
    },
    No,
}

/// A confirmation being shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub asked: Asked,
    title: String,
    lines: Vec<String>,
    confirm: String,
    /// The tracking number field (shipping only).
    tracking_number: Option<String>,
    /// Why it cannot be done (only a Close button then).
    refusal: Option<String>,
    focus_pending: bool,
}

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

const UNDO_NOTE: &str = "You can take it back with Edit › Undo (Ctrl+Z) as long as nothing changed since depends on it.";

impl Confirmation {
    /// The question for `bulk`, with counts read from the shop.
    #[expect(
        clippy::too_many_lines,
        reason = "one question per kind of bulk action, each with its counts read from the shop"
    )]
    pub fn ask(store: &Store, bulk: Bulk) -> Result<Self, String> {
        let conn = store.connection();
        let text = |error: crate::store::StoreError| error.to_string();
        let (title, lines, confirm, tracking_number) = match &bulk {
            Bulk::ApplyAdvice(products) => {
                let mut skus: Vec<String> = products
                    .iter()
                    .take(5)
                    .filter_map(|id| store.product(*id).ok().map(|p| p.data.sku))
                    .collect();
                if products.len() > skus.len() {
                    skus.push(format!("and {} more", products.len() - skus.len()));
                }
                (
                    format!(
                        "Apply all suggestions to {}?",
                        plural(products.len(), "product", "products")
                    ),
                    vec![
                        format!(
                            "The backorder policy of {} changes to the advisor's suggestion: {}.",
                            plural(products.len(), "product", "products"),
                            skus.join(", ")
                        ),
                        "Promises of waiting orders are computed again.".to_owned(),
                    ],
                    format!("Change {}", plural(products.len(), "product", "products")),
                    None,
                )
            }
            Bulk::ReceiveAll { po_number, date } => {
                let po_id = po_id_by_number(conn, po_number)
                    .map_err(text)?
                    .ok_or_else(|| format!("No purchase order '{po_number}'"))?;
                let detail = po_detail(conn, po_id).map_err(text)?;
                let open: Vec<_> = detail
                    .lines
                    .iter()
                    .filter(|line| line.open_quantity() > 0)
                    .collect();
                let units: i64 = open.iter().map(|line| line.open_quantity()).sum();
                (
                    format!("Receive everything open on {po_number}?"),
                    vec![format!(
                        "{units} units on {} arrive on {} and go into the stock ledger; waiting orders get them first.",
                        plural(open.len(), "line", "lines"),
                        crate::app::settings::ShopFormats::load(store)
                            .unwrap_or_default()
                            .date(*date)
                    )],
                    format!("Receive {units} units"),
                    None,
                )
            }
            Bulk::ShipOrder(order_id) => {
                let detail = order_detail(conn, *order_id).map_err(text)?;
                let shipping: Vec<(String, i64)> = detail
                    .lines
                    .iter()
                    .map(|line| {
                        (
                            line.sku.clone(),
                            line.quantities.reserved.min(line.quantities.open()),
                        )
                    })
                    .filter(|(_, units)| *units > 0)
                    .collect();
                let units: i64 = shipping.iter().map(|(_, units)| units).sum();
                let listed: Vec<String> = shipping
                    .iter()
                    .map(|(sku, units)| format!("{units} × {sku}"))
                    .collect();
                (
                    format!(
                        "Ship order {} to {}?",
                        detail.summary.order_number, detail.summary.customer_name
                    ),
                    vec![format!(
                        "{units} reserved units on {} leave the stock: {}.",
                        plural(shipping.len(), "line", "lines"),
                        listed.join(", ")
                    )],
                    format!("Ship {units} units"),
                    Some(String::new()),
                )
            }
            Bulk::MarkPicked(list_number) => {
                let list = crate::store::picklist::pick_list(conn, list_number)
                    .map_err(text)?
                    .ok_or_else(|| format!("No pick list '{list_number}'"))?;
                let units: i64 = list.lines.iter().map(|(_, units)| units).sum();
                let mut orders: Vec<i64> = list
                    .lines
                    .iter()
                    .filter_map(|(line_id, _)| {
                        crate::store::orders::line_owner(conn, *line_id)
                            .ok()
                            .map(|(order_id, _)| order_id.0)
                    })
                    .collect();
                orders.sort_unstable();
                orders.dedup();
                (
                    format!("Mark pick list {list_number} picked?"),
                    vec![format!(
                        "Every unit on it ships now: {units} units of {}; the orders are marked shipped (in full or in part) and the shipments go into the stock ledger.",
                        plural(orders.len(), "order", "orders")
                    )],
                    format!("Ship {}", plural(orders.len(), "order", "orders")),
                    None,
                )
            }
        };
        Ok(Self {
            asked: Asked::Bulk(bulk),
            title,
            lines,
            confirm,
            tracking_number,
            refusal: None,
            focus_pending: true,
        })
    }

    /// Edit › Undo: what undoing puts back (`Ok`), or why it cannot (`Err`).
    pub fn undo(plan: Result<&UndoReport, String>, label: &str) -> Self {
        match plan {
            Ok(report) => Self {
                asked: Asked::Undo,
                title: format!("Undo “{}”?", report.point.label),
                lines: report
                    .effects(false)
                    .into_iter()
                    .map(|effect| {
                        let mut chars = effect.chars();
                        chars.next().map_or_else(String::new, |first| {
                            format!("{}{}.", first.to_uppercase(), chars.as_str())
                        })
                    })
                    .collect(),
                confirm: "Undo".to_owned(),
                tracking_number: None,
                refusal: None,
                focus_pending: true,
            },
            Err(message) => Self {
                asked: Asked::Undo,
                title: format!("Undo “{label}”"),
                lines: Vec::new(),
                confirm: String::new(),
                tracking_number: None,
                refusal: Some(message),
                focus_pending: true,
            },
        }
    }

    /// Draws the dialog.
    pub fn ui(&mut self, ctx: &egui::Context) -> Answer {
        let mut answer = Answer::Waiting;
        Modal::new(Id::unique("bulk_confirmation")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading(&self.title);
            ui.add_space(4.0);
            if let Some(refusal) = &self.refusal {
                ui.colored_label(theme::ERROR, refusal);
                ui.add_space(6.0);
                if ui.button("Close").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    answer = Answer::No;
                }
                return;
            }
            for line in &self.lines {
                ui.label(line);
            }
            if let Some(tracking) = &mut self.tracking_number {
                ui.add_space(4.0);
                ui.horizontal(|ui| {
                    let label = ui.label("Tracking number");
                    let field = ui
                        .add(
                            TextEdit::singleline(tracking)
                                .hint_text("optional, e.g. 1Z999AA10123456784")
                                .desired_width(240.0),
                        )
                        .labelled_by(label.id);
                    if self.focus_pending {
                        field.request_focus();
                        self.focus_pending = false;
                    }
                });
            }
            ui.add_space(4.0);
            if self.asked != Asked::Undo {
                ui.label(RichText::new(UNDO_NOTE).color(theme::MUTED));
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(&self.confirm).color(theme::ERROR))
                    .clicked()
                {
                    answer = Answer::Yes {
                        tracking_number: self.tracking_number.clone().unwrap_or_default(),
                    };
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    answer = Answer::No;
                }
            });
        });
        answer
    }
}
