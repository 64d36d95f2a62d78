//! The command line: `backorder-desk [--db PATH] [--today DATE] <command>`.

mod imports;
mod notify;
mod picklist;
mod practice;
mod safety;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::app::Clock;
use crate::app::backup::{backup_now, check_database, repair_from_ledger, size_text};
use crate::app::catalog::{adjust_stock, catalog_rows, save_product};
use crate::app::clock::parse_iso_date;
use crate::app::demo::{DemoSpec, load_demo};
use crate::app::export::{ExportKind, export, export_shopify_inventory};
use crate::app::import::{ImportKind, ImportReport, ImportRequest, run_import};
use crate::app::jobs::Progress;
use crate::app::kpi::Dashboard;
use crate::app::orders::{Allocated, OrderInput, place_order_with_payment, ship_order};
use crate::app::promises::{backorder_lines, order_promise_notes};
use crate::app::purchasing::{PoInput, create_po, move_po_date, receive};
use crate::app::session::{
    Access, COMMAND_WRITER_WAIT, DailyBackupOutcome, OpenRequest, ReadOnlyReason, Session,
    open_shop, restore_shop,
};
use crate::domain::allocation::Priority;
use crate::domain::kpi::{DEFAULT_PERIOD_DAYS, Period, Scope, round2};
use crate::domain::order::{CancelReason, ShipPreference};
use crate::domain::payment::PaymentState;
use crate::domain::storefront::StorefrontFormat;
use crate::domain::{BackorderPolicy, ProductDraft, StockStatus, format_cents};
use crate::io::csv_import::{DateOrder, Format, InventoryWriteReport, delimiter_label};
use crate::store;
use crate::store::backup::list_backups;
use crate::store::orders::{OrderFilter, order_detail, order_id_by_number, order_summaries};

/// Keep selling when stock runs out, and keep every promise made to a waiting customer.
///
/// Without a command the window opens.
#[derive(Debug, Parser)]
#[command(name = "backorder-desk", version, about, long_about = None)]
pub struct Cli {
    /// The shop file to open or create (default: the platform data folder).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Fix "today" (YYYY-MM-DD, 2000-01-01 to 2100-12-31) for reproducible output.
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_iso_date, allow_hyphen_values = true)]
    pub today: Option<NaiveDate>,
    /// Run a writing command even while another copy of Backorder Desk writes to the shop file:
    /// it then runs read-only and every change it tries is refused (two copies never write at
    /// once; a restore or repair is refused either way)
    #[arg(long, global = true)]
    pub ignore_lock: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty shop with a deterministic demo shop
    Demo {
        /// Number of products
        #[arg(long, default_value_t = DemoSpec::default().products)]
        products: usize,
        /// Number of order lines over the past year
        #[arg(long, default_value_t = DemoSpec::default().order_lines)]
        orders: usize,
        /// Random seed; the same seed gives the same shop
        #[arg(long, default_value_t = DemoSpec::default().seed)]
        seed: u64,
    },
    /// List the catalog with stock figures and status badges
    Products {
        /// Only products whose SKU, name or category contains this text
        #[arg(long)]
        search: Option<String>,
        /// One JSON object per product instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Add a product to the catalog
    AddProduct {
        #[arg(long)]
        sku: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        category: String,
        /// Bin location
        #[arg(long, default_value = "")]
        location: String,
        #[arg(long, default_value = "0.00")]
        price: String,
        #[arg(long, default_value = "0.00")]
        cost: String,
        #[arg(long, default_value = "")]
        supplier: String,
        /// Lead time in days
        #[arg(long, default_value = "")]
        lead_time: String,
        /// Backorder policy: no, yes or preorder
        #[arg(long, default_value = "yes")]
        policy: String,
        /// Longest wait to promise, in days
        #[arg(long, default_value = "14")]
        max_wait: String,
        /// Units on hand to start with
        #[arg(long, default_value_t = 0)]
        stock: i64,
    },
    /// Add or remove stock with a reason (written to the ledger)
    Adjust {
        sku: String,
        /// Units to add; negative to remove (e.g. -3)
        #[arg(allow_hyphen_values = true)]
        quantity: i64,
        /// Why the stock changed (e.g. "Stock count", "Damaged")
        #[arg(long)]
        reason: String,
    },
    /// Place a customer order: reserves stock, the rest waits (backorder or preorder)
    Order {
        /// Order number (default: the next free SO- number)
        #[arg(long)]
        number: Option<String>,
        #[arg(long)]
        customer: String,
        #[arg(long, default_value = "")]
        email: String,
        /// normal or high
        #[arg(long, default_value = "normal")]
        priority: String,
        /// Ship only when every line is in stock
        #[arg(long)]
        ship_complete: bool,
        /// authorized (card authorized now: capture before shipping) or not-needed; default:
        /// the `new_order_payment` setting
        #[arg(long)]
        payment: Option<String>,
        /// Lines as SKU=QUANTITY
        #[arg(required = true, value_name = "SKU=QTY")]
        lines: Vec<String>,
    },
    /// Ship every reserved unit of an order (ship-complete orders only when all is reserved)
    Ship { order_number: String },
    /// Cancel every open line of an order (or one SKU's line); its stock goes to the next
    /// customers in line
    Cancel {
        order_number: String,
        /// Only the open line of this SKU
        #[arg(long)]
        sku: Option<String>,
        /// Why: customer, too-long, substitute or other (kept for the cancellation KPI)
        #[arg(long)]
        reason: Option<String>,
    },
    /// Ready orders whose card payment must be captured before they ship, with the amount
    CaptureList {
        /// One JSON object per order
        #[arg(long)]
        json: bool,
    },
    /// Record an order's payment: authorized, captured, failed or not-needed
    Payment {
        order_number: String,
        /// authorized (re-authorized now), captured (the amount due), failed (drafts a payment
        /// update request) or not-needed
        state: String,
    },
    /// Backorder cutoffs per product or category, and the last day to promise delivery before
    Cutoff {
        #[command(subcommand)]
        action: practice::CutoffAction,
    },
    /// Suggest allow, preorder or stop backorders per product from its supplier's reliability
    Advise {
        /// One JSON object per product
        #[arg(long)]
        json: bool,
        /// Apply every suggested change
        #[arg(long)]
        apply: bool,
    },
    /// List orders with each line's badge
    Orders {
        /// all, waiting, ready, capture (payment to capture first), shipped or cancelled
        #[arg(long, default_value = "all")]
        filter: String,
        /// Order number, customer name or e-mail, or SKU
        #[arg(long, default_value = "")]
        search: String,
    },
    /// Create a purchase order (inbound stock)
    Po {
        /// PO number (default: the next free PO- number)
        #[arg(long)]
        number: Option<String>,
        #[arg(long)]
        supplier: String,
        /// Expected arrival (YYYY-MM-DD)
        #[arg(long, value_parser = parse_iso_date, allow_hyphen_values = true)]
        expected: Option<NaiveDate>,
        /// The supplier confirmed the date (promises become a single day)
        #[arg(long)]
        confirmed: bool,
        /// Lines as SKU=QUANTITY or `SKU=QUANTITY@UNIT_COST`
        #[arg(required = true, value_name = "SKU=QTY")]
        lines: Vec<String>,
    },
    /// Every waiting line with its queue position and promised window
    Backorders {
        /// One JSON object per line
        #[arg(long)]
        json: bool,
    },
    /// Receive a purchase order (all that is open, or one SKU partly); stock goes to waiting lines first
    Receive {
        po_number: String,
        #[arg(long, requires = "quantity")]
        sku: Option<String>,
        #[arg(long, requires = "sku")]
        quantity: Option<i64>,
        /// Arrival date (default: today)
        #[arg(long, value_parser = parse_iso_date, allow_hyphen_values = true)]
        date: Option<NaiveDate>,
    },
    /// Move a purchase order's expected date; prints the promises that moved later
    PoDate {
        po_number: String,
        #[arg(value_parser = parse_iso_date, allow_hyphen_values = true)]
        date: NaiveDate,
    },
    /// Customer messages: list drafts, write them as .eml files, send them by SMTP, the legal
    /// deadlines of waiting lines, and the customers' answers
    Notify {
        #[command(subcommand)]
        action: notify::NotifyAction,
    },
    /// Show the shop settings, or change one: `setting sender_email shop@example.com`
    Setting {
        /// `shop_name`, `sender_email`, `signature`, `date_locale` (us|intl), `handling_days`, `paper_size` (a4|letter),
        /// `new_order_payment` (`not_needed` or `authorized`), `auth_max_age_days`, `advisor_min_on_time_pct`,
        /// `advisor_max_lead_sd_days`, `advisor_max_lead_days`, `advisor_min_receipts`,
        /// `import_confirm_days`, `legal_rule` (us|eu|both), `stated_ship_days`, `smtp_host`,
        /// `smtp_port`, `smtp_security` (starttls|tls|none), `smtp_user`
        key: Option<String>,
        /// The new value (an empty string clears it)
        value: Option<String>,
    },
    /// Import a CSV file (own format, Shopify, WooCommerce or Etsy; Shopify's inventory export
    /// with `import inventory`); one transaction, all or nothing. Storefront order exports can be
    /// imported every day: new orders are added, what changed on known ones is applied
    Import {
        what: ImportWhat,
        file: PathBuf,
        /// auto (recognise from the header), own, shopify, woocommerce; for orders also
        /// shopify-orders, woocommerce-orders, etsy-orders
        #[arg(long, default_value = "auto")]
        format: String,
        /// Read an orders file of another platform through this saved column mapping
        #[arg(long, value_name = "NAME", conflicts_with = "format")]
        mapping: Option<String>,
        /// Check the file and show what would change; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Write the good rows even if some rows have errors
        #[arg(long)]
        valid_only: bool,
        /// Day/month order of dates like 03/04/2026: DD/MM/YYYY or MM/DD/YYYY
        #[arg(long, value_name = "FMT")]
        date_format: Option<String>,
        /// Inventory: the Shopify location whose counts to take (needed when the file has several)
        #[arg(long, value_name = "NAME")]
        location: Option<String>,
        /// Inventory: add the variants the shop does not have yet as products
        #[arg(long)]
        create: bool,
    },
    /// The recorded imports, newest first: batch number, file, counts, and whether undone
    Imports,
    /// Undo the last import: its rows and stock changes go, changed products get their earlier
    /// values back (refused when later changes depend on it)
    UndoImport {
        /// The batch to undo (default: the newest still in effect); it must be the newest
        batch: Option<i64>,
        /// Say what would be taken back; change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Write data to a CSV file
    Export {
        what: ExportWhat,
        file: PathBuf,
        /// own, or shopify (products only: fills "On hand (new)" of the shop's inventory export given with --from)
        #[arg(long, default_value = "own")]
        format: String,
        /// Shopify inventory CSV exported by the shop (with --format shopify)
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// Shopify location to fill when the inventory file has several
        #[arg(long)]
        location: Option<String>,
    },
    /// Check the shop file: SQLite integrity, the stock ledger against on hand, and reservations
    /// against orders and stock
    Check {
        /// Set on hand to the ledger sum and re-allocate reservations (after a backup)
        #[arg(long)]
        repair: bool,
    },
    /// Write a backup of the shop file (into the backups folder next to it, or to --to)
    Backup {
        /// Write the backup to this file instead
        #[arg(long, value_name = "FILE")]
        to: Option<PathBuf>,
    },
    /// List the backups in the backups folder, newest first
    Backups,
    /// Replace the shop file with a backup (the current file is backed up first)
    Restore {
        /// The backup file
        file: PathBuf,
    },
    /// KPIs of a period (default: the last 90 days): backorder and fill rates, perfect orders,
    /// waits, stockouts, turnover, late inbound and supplier lead times
    Kpi {
        /// First day of the period (default: 89 days before --to)
        #[arg(long, value_parser = parse_iso_date, allow_hyphen_values = true)]
        from: Option<NaiveDate>,
        /// Last day of the period (default: today)
        #[arg(long, value_parser = parse_iso_date, allow_hyphen_values = true)]
        to: Option<NaiveDate>,
        /// Only this SKU
        #[arg(long, conflicts_with_all = ["supplier", "category"])]
        sku: Option<String>,
        /// Only products of this supplier
        #[arg(long, conflicts_with = "category")]
        supplier: Option<String>,
        /// Only products of this category
        #[arg(long)]
        category: Option<String>,
        /// One JSON object
        #[arg(long)]
        json: bool,
    },
    /// Safety stock and reorder point by one method or all five (no shop file needed)
    SafetyStock(safety::SafetyStockArgs),
    /// Run a synthetic shop through N days with the real library on temporary shop files and
    /// measure how often its promises come true: the shop's model against the naive rule (no
    /// shop file needed; the same seed gives the same report)
    Simulate {
        /// Days to simulate (1 to 3650)
        #[arg(long, default_value_t = crate::app::simulate::DEFAULT_DAYS)]
        days: u32,
        /// Random seed
        #[arg(long, default_value_t = crate::app::simulate::DEFAULT_SEED)]
        seed: u64,
        /// Days the shop runs first, not measured (0: a new shop without any record)
        #[arg(long, default_value_t = crate::app::simulate::DEFAULT_WARMUP_DAYS)]
        warmup: u32,
        /// One JSON object
        #[arg(long)]
        json: bool,
        /// Keep the two simulated shop files (model.sqlite, naive.sqlite) in this folder, to
        /// open them with --db afterwards
        #[arg(long, value_name = "FOLDER")]
        keep: Option<PathBuf>,
    },
    /// Products to reorder now: available + on order − backordered at or below the reorder point
    Reorder {
        /// A JSON list instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Make a pick list PDF of every ready order (or the chosen ones) and save it as a new list
    Picklist {
        /// The PDF file to write
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// order (each order a block) or sku (one row per SKU); default order, or the saved
        /// list's layout with --list
        #[arg(long)]
        layout: Option<String>,
        /// a4 or letter (default: the `paper_size` setting, else from `date_locale`)
        #[arg(long)]
        paper: Option<String>,
        /// Only these orders, comma-separated (e.g. SO-001001,SO-001004)
        #[arg(long, value_name = "N1,N2,…", conflicts_with = "list")]
        orders: Option<String>,
        /// Print a saved list again instead of making a new one (e.g. PL-000003)
        #[arg(long, value_name = "LIST_NUMBER")]
        list: Option<String>,
        /// Also send the PDF to the printer
        #[arg(long)]
        print: bool,
        /// The printer (default: the system's default printer)
        #[arg(long, requires = "print")]
        printer: Option<String>,
    },
    /// Mark a pick list picked: ships exactly its units and writes the shipments to the ledger
    PicklistPicked { list_number: String },
    /// The saved pick lists, newest first
    Picklists,
    /// Write the packing slip of an order: what shipped and what is still to follow
    PackingSlip {
        order_number: String,
        /// The PDF file to write
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// a4 or letter (default: the `paper_size` setting, else from `date_locale`)
        #[arg(long)]
        paper: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportWhat {
    Products,
    Orders,
    PurchaseOrders,
    /// Shopify's inventory export: on hand per variant and location
    Inventory,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportWhat {
    Products,
    Orders,
    PurchaseOrders,
    Backorders,
    /// Storefront badges per SKU for the web shop (--format shopify or woocommerce)
    Badges,
}

/// The file cannot be imported as it is and nothing was written (exit code 2): rows with errors,
/// no product at all in it, or an inventory location to choose.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FileHasErrors(pub String);

impl Cli {
    pub fn clock(&self) -> Clock {
        self.today.map_or_else(Clock::system, Clock::fixed)
    }

    /// The shop file to use: `--db`, or the default in the platform data folder.
    pub fn db_path(&self) -> anyhow::Result<PathBuf> {
        match &self.db {
            Some(path) => Ok(path.clone()),
            None => store::default_path()
                .ok_or_else(|| anyhow!("no data folder is known for this user; pass --db PATH")),
        }
    }
}

impl Command {
    fn access(&self) -> Access {
        let writes = match self {
            Self::Products { .. }
            | Self::Orders { .. }
            | Self::Backorders { .. }
            | Self::Export { .. }
            | Self::Kpi { .. }
            | Self::SafetyStock(_)
            | Self::Simulate { .. }
            | Self::Reorder { .. }
            | Self::Picklists
            | Self::PackingSlip { .. }
            | Self::Backup { .. }
            | Self::Backups
            | Self::Imports
            | Self::CaptureList { .. } => false,
            Self::Cutoff { action } => !matches!(action, practice::CutoffAction::List),
            Self::Advise { apply, .. } => *apply,
            Self::Check { repair } => *repair,
            Self::Import { dry_run, .. } | Self::UndoImport { dry_run, .. } => !*dry_run,
            Self::Setting { value, .. } => value.is_some(),
            Self::Notify { action } => match action {
                notify::NotifyAction::List { .. } | notify::NotifyAction::Deadlines { .. } => false,
                notify::NotifyAction::Export { mark_sent, .. } => *mark_sent,
                notify::NotifyAction::Send { dry_run, .. } => !*dry_run,
                notify::NotifyAction::Answer { .. } => true,
            },
            Self::Demo { .. }
            | Self::AddProduct { .. }
            | Self::Adjust { .. }
            | Self::Order { .. }
            | Self::Ship { .. }
            | Self::Cancel { .. }
            | Self::Payment { .. }
            | Self::Po { .. }
            | Self::Receive { .. }
            | Self::PoDate { .. }
            | Self::Picklist { .. }
            | Self::PicklistPicked { .. }
            | Self::Restore { .. } => true,
        };
        if writes { Access::Write } else { Access::Read }
    }
}

/// Opens the shop for a command by the policy the window uses too (`app::session`): the
/// shared lock while it runs; a writing command takes the writer lock, waiting up to 5 seconds
/// for another copy that writes, then refuses naming it (with `--ignore-lock` it runs read-only
/// instead, and every change is refused); a reading command reads read-only while another copy
/// writes. A writing command refuses a write-protected or damaged file up front, and writes the
/// first backup of the day.
fn open(path: &Path, access: Access, cli: &Cli) -> anyhow::Result<Session> {
    let mut request = OpenRequest::new(path, access, cli.clock());
    // With --ignore-lock a command does not wait for the other writer: it reads at once.
    request.wait_for_writer = if cli.ignore_lock {
        std::time::Duration::ZERO
    } else {
        COMMAND_WRITER_WAIT
    };
    let session = open_shop(request)?;
    if access == Access::Write {
        match &session.read_only {
            None | Some(ReadOnlyReason::Chosen) => {}
            Some(ReadOnlyReason::InUse(held)) if cli.ignore_lock => eprintln!(
                "note: {} With --ignore-lock this command runs read-only: it changes nothing.",
                held.message(path)
            ),
            Some(ReadOnlyReason::InUse(held)) => {
                return Err(anyhow!(
                    "{} Nothing was changed. Close it there first; commands that only read work meanwhile.",
                    held.message(path)
                ));
            }
            Some(ReadOnlyReason::NotWritable(_)) => {
                return Err(anyhow!(
                    "'{}' is read-only (the file or its folder cannot be written); nothing was changed",
                    path.display()
                ));
            }
            Some(ReadOnlyReason::Damaged(message)) => return Err(anyhow!("{message}")),
        }
        if let DailyBackupOutcome::Failed(error) = &session.daily_backup {
            eprintln!("warning: the daily backup was not written: {error}");
        }
    }
    Ok(session)
}

/// An error and its causes in one line, each said once: a cause whose text the message already
/// holds is not repeated.
pub fn error_text(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let part = cause.to_string();
        if part.is_empty() || text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// Runs one command. Output goes to `out`; errors are returned for `main` to print.
pub fn run(cli: &Cli, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let clock = cli.clock();
    if let Command::SafetyStock(args) = command {
        return safety::run_safety_stock(args, out);
    }
    if let Command::Simulate {
        days,
        seed,
        warmup,
        json,
        keep,
    } = command
    {
        return run_simulate(*days, *seed, *warmup, *json, keep.as_deref(), out);
    }
    // Before the shop is opened (and a daily backup written): a "today" outside the accepted
    // dates would date orders, receipts, promises and backups wrongly.
    crate::app::clock::check_today(&clock)
        .map_err(|message| anyhow!("{message}; nothing was opened"))?;
    let path = cli.db_path()?;
    let access = command.access();
    match command {
        Command::Demo {
            products,
            orders,
            seed,
        } => {
            let mut store = open(&path, access, cli)?;
            let spec = DemoSpec {
                products: *products,
                order_lines: *orders,
                seed: *seed,
            };
            let summary = load_demo(&mut store, spec, &clock, &Progress::default())?;
            writeln!(
                out,
                "Demo shop written to {}: {} products, {} suppliers, {} customers, {} orders ({} lines, {} open), {} backordered lines, {} purchase orders",
                path.display(),
                summary.products,
                summary.suppliers,
                summary.customers,
                summary.orders,
                summary.order_lines,
                summary.open_orders,
                summary.backordered_lines,
                summary.purchase_orders
            )?;
        }
        Command::Products { search, json } => {
            let store = open(&path, access, cli)?;
            let needle = search.as_deref().map(str::to_lowercase);
            let mut rows = catalog_rows(&store, clock.today())?;
            rows.retain(|row| {
                needle.as_deref().is_none_or(|needle| {
                    row.sku.to_lowercase().contains(needle)
                        || row.name.to_lowercase().contains(needle)
                        || row.category.to_lowercase().contains(needle)
                })
            });
            rows.sort_by(|a, b| a.sku.cmp(&b.sku));
            if *json {
                for row in &rows {
                    let value = serde_json::json!({
                        "sku": row.sku,
                        "name": row.name,
                        "category": row.category,
                        "location": row.location,
                        "on_hand": row.figures.on_hand,
                        "reserved": row.figures.reserved,
                        "available": row.figures.available(),
                        "on_order": row.figures.on_order,
                        "backordered": row.figures.backordered,
                        "dates_slipping_daily": row.slipping_lines,
                        "status": row.status().code(),
                        "badge": row.badge_text(),
                        "price": format_cents(row.price_cents),
                        "supplier": row.supplier,
                        "lead_time_days": row.lead_time_days,
                        "backorder_policy": row.policy.code(),
                        "max_wait_days": row.max_wait_days,
                        "track_stock": row.track_stock,
                        "sale_price": row.sale_price_cents.map(format_cents),
                        "sku_in_shop": !row.sku_derived,
                        "shop": row.identity.as_ref().map(|identity| serde_json::json!({
                            "platform": identity.platform.code(),
                            "key": identity.key,
                        })),
                    });
                    writeln!(out, "{value}")?;
                }
            } else {
                writeln!(
                    out,
                    "{:<12} {:<32} {:>8} {:>8} {:>9} {:>8} {:>11}  {:<30}",
                    "SKU",
                    "Name",
                    "On hand",
                    "Reserved",
                    "Available",
                    "On order",
                    "Backordered",
                    "Status"
                )?;
                for row in &rows {
                    writeln!(
                        out,
                        "{:<12} {:<32} {:>8} {:>8} {:>9} {:>8} {:>11}  {:<30}",
                        row.sku,
                        truncate(&row.name, 32),
                        row.figures.on_hand,
                        row.figures.reserved,
                        row.figures.available(),
                        row.figures.on_order,
                        row.figures.backordered,
                        row.badge_text()
                    )?;
                }
                let waiting = rows
                    .iter()
                    .filter(|row| row.status() == StockStatus::Backordered)
                    .count();
                writeln!(out, "{} products, {waiting} backordered", rows.len())?;
            }
        }
        Command::AddProduct {
            sku,
            name,
            category,
            location,
            price,
            cost,
            supplier,
            lead_time,
            policy,
            max_wait,
            stock,
        } => {
            let mut store = open(&path, access, cli)?;
            let draft = ProductDraft {
                sku: sku.clone(),
                name: name.clone(),
                category: category.clone(),
                location: location.clone(),
                unit_cost: cost.clone(),
                price: price.clone(),
                supplier: supplier.clone(),
                lead_time_days: lead_time.clone(),
                backorder_policy: BackorderPolicy::from_code(policy)
                    .ok_or_else(|| anyhow!("policy must be no, yes or preorder, not '{policy}'"))?,
                max_wait_days: max_wait.clone(),
                reorder_point: "0".into(),
                ..ProductDraft::default()
            };
            if *stock < 0 {
                return Err(anyhow!("--stock must be 0 or more"));
            }
            save_product(&mut store, None, &draft, *stock, &clock)?;
            writeln!(out, "Added {}", sku.trim())?;
        }
        Command::Adjust {
            sku,
            quantity,
            reason,
        } => {
            let mut store = open(&path, access, cli)?;
            let product_id = store
                .product_id_by_sku(sku)?
                .ok_or_else(|| anyhow!("no product with SKU '{sku}'"))?;
            let (on_hand, moved) = adjust_stock(&mut store, product_id, *quantity, reason, &clock)?;
            writeln!(out, "{sku}: {quantity:+} ({reason}); on hand now {on_hand}")?;
            print_allocated(out, &moved)?;
        }
        Command::Order {
            number,
            customer,
            email,
            priority,
            ship_complete,
            payment,
            lines,
        } => {
            let mut store = open(&path, access, cli)?;
            let priority = Priority::from_code(priority)
                .ok_or_else(|| anyhow!("priority must be normal or high, not '{priority}'"))?;
            let input = OrderInput {
                order_number: number.clone().unwrap_or_default(),
                customer_name: customer.clone(),
                customer_email: email.clone(),
                ordered_at: None,
                priority,
                ship: if *ship_complete {
                    ShipPreference::Complete
                } else {
                    ShipPreference::Partial
                },
                lines: lines
                    .iter()
                    .map(|line| parse_line(line).map(|(sku, qty, _)| (sku, qty)))
                    .collect::<anyhow::Result<_>>()?,
            };
            let payment = payment
                .as_deref()
                .map(|text| {
                    PaymentState::from_code(text)
                        .filter(|state| {
                            matches!(state, PaymentState::Authorized | PaymentState::NotNeeded)
                        })
                        .ok_or_else(|| {
                            anyhow!("--payment must be authorized or not-needed, not '{text}'")
                        })
                })
                .transpose()?;
            let (placed, _) = place_order_with_payment(&mut store, &input, payment, &clock)?;
            writeln!(out, "Order {} placed", placed.order_number)?;
            for (sku, ordered, reserved, waiting) in &placed.lines {
                writeln!(
                    out,
                    "  {sku}: {ordered} ordered, {reserved} reserved, {waiting} waiting"
                )?;
            }
        }
        Command::Ship { order_number } => {
            let mut store = open(&path, access, cli)?;
            let order_id = order_id_by_number(store.connection(), order_number)?
                .ok_or_else(|| anyhow!("no order '{}'", order_number.trim()))?;
            let units = ship_order(&mut store, order_id, &clock)?;
            writeln!(out, "Shipped {units} unit(s) of {}", order_number.trim())?;
        }
        Command::Cancel {
            order_number,
            sku,
            reason,
        } => {
            practice::cancel(
                &mut *open(&path, access, cli)?,
                order_number,
                sku.as_deref(),
                reason.as_deref(),
                clock,
                out,
            )?;
        }
        Command::CaptureList { json } => {
            practice::capture(&*open(&path, access, cli)?, *json, clock, out)?;
        }
        Command::Payment {
            order_number,
            state,
        } => practice::payment(
            &mut *open(&path, access, cli)?,
            order_number,
            state,
            clock,
            out,
        )?,
        Command::Cutoff { action } => {
            practice::cutoff(&mut *open(&path, access, cli)?, action, clock, out)?;
        }
        Command::Advise { json, apply } => {
            practice::advise(&mut *open(&path, access, cli)?, *json, *apply, clock, out)?;
        }
        Command::Orders { filter, search } => {
            let store = open(&path, access, cli)?;
            let filter = match filter.to_lowercase().as_str() {
                "all" => OrderFilter::All,
                "waiting" => OrderFilter::Waiting,
                "ready" => OrderFilter::Ready,
                "shipped" => OrderFilter::Shipped,
                "cancelled" => OrderFilter::Cancelled,
                "capture" => OrderFilter::Capture,
                other => {
                    return Err(anyhow!(
                        "filter must be all, waiting, ready, capture, shipped or cancelled, not '{other}'"
                    ));
                }
            };
            let conn = store.connection();
            for summary in order_summaries(conn, filter, search, usize::MAX)? {
                writeln!(
                    out,
                    "{}  {}  {} <{}>  {}",
                    summary.order_number,
                    summary.ordered_at.get(..10).unwrap_or(&summary.ordered_at),
                    summary.customer_name,
                    summary.customer_email,
                    summary.status_label()
                )?;
                let detail = order_detail(conn, summary.order_id)?;
                let line_ids: Vec<i64> = detail.lines.iter().map(|l| l.line_id).collect();
                let notes =
                    order_promise_notes(conn, summary.order_id.0, &line_ids, clock.today())?;
                for line in detail.lines {
                    let window = line.promise.as_ref().and_then(|p| p.window);
                    writeln!(
                        out,
                        "    {:<12} {:>4}  {}",
                        line.sku,
                        line.quantities.ordered,
                        line.quantities.badge(line.policy, window)
                    )?;
                    if let Some(note) = notes.get(&line.line_id) {
                        for text in [&note.explanation, &note.first_promise]
                            .into_iter()
                            .flatten()
                        {
                            writeln!(out, "        {text}")?;
                        }
                    }
                }
            }
        }
        Command::Po {
            number,
            supplier,
            expected,
            confirmed,
            lines,
        } => {
            let mut store = open(&path, access, cli)?;
            let input = PoInput {
                po_number: number.clone().unwrap_or_default(),
                supplier: supplier.clone(),
                ordered_at: None,
                expected_at: *expected,
                confirmed: *confirmed,
                lines: lines
                    .iter()
                    .map(|line| parse_line(line))
                    .collect::<anyhow::Result<_>>()?,
            };
            let (_, po_number) = create_po(&mut store, &input, &clock)?;
            writeln!(out, "Purchase order {po_number} created")?;
        }
        Command::Backorders { json } => {
            let store = open(&path, access, cli)?;
            let lines = backorder_lines(store.connection(), clock.today())?;
            if *json {
                for line in &lines {
                    let promise = &line.promise;
                    let value = serde_json::json!({
                        "order_number": line.order_number,
                        "sku": line.sku,
                        "customer_email": line.customer_email,
                        "quantity_waiting": line.quantity_waiting,
                        "queue_position": promise.queue_position,
                        "eta_start": promise.window.map(|w| w.start.to_string()),
                        "eta_end": promise.window.map(|w| w.end.to_string()),
                        "covered_by_po": promise.covered_by,
                        "flags": line.flag_codes(),
                        "explanation": line.explanation,
                    });
                    writeln!(out, "{value}")?;
                }
            } else {
                writeln!(
                    out,
                    "{:<12} {:<12} {:>7} {:>5}  {:<24} {:<10} {:<28} Flags",
                    "Order", "SKU", "Waiting", "Queue", "Window", "PO", "Customer"
                )?;
                for line in &lines {
                    let promise = &line.promise;
                    let window = promise.window.map_or_else(
                        || "date unknown".to_owned(),
                        |w| format!("{} – {}", w.start, w.end),
                    );
                    let flags = line.flag_labels();
                    writeln!(
                        out,
                        "{:<12} {:<12} {:>7} {:>5}  {:<24} {:<10} {:<28} {}",
                        line.order_number,
                        line.sku,
                        line.quantity_waiting,
                        promise.queue_position,
                        window,
                        promise.covered_by.as_deref().unwrap_or("–"),
                        truncate(&line.customer_email, 28),
                        flags.join(", ")
                    )?;
                    writeln!(out, "    {}", line.explanation)?;
                }
                writeln!(out, "{} waiting lines", lines.len())?;
            }
        }
        Command::Receive {
            po_number,
            sku,
            quantity,
            date,
        } => {
            let mut store = open(&path, access, cli)?;
            let only = sku.as_deref().zip(*quantity);
            let date = date.unwrap_or_else(|| clock.today());
            let report = receive(&mut store, po_number, only, date, &clock)?;
            for (sku, units) in &report.received {
                writeln!(out, "Received {units} × {sku} on {}", report.po_number)?;
            }
            print_allocated(out, &report.allocated)?;
            if report.allocated.is_empty() {
                writeln!(
                    out,
                    "No waiting order needed this stock; it is free to sell"
                )?;
            }
        }
        Command::Notify { action } => {
            notify::run(&mut *open(&path, access, cli)?, action, clock, out)?;
        }
        Command::Setting { key, value } => {
            notify::setting(
                &*open(&path, access, cli)?,
                key.as_deref(),
                value.as_deref(),
                out,
            )?;
        }
        Command::PoDate { po_number, date } => {
            let mut store = open(&path, access, cli)?;
            let changes = move_po_date(&mut store, po_number, *date, &clock)?;
            writeln!(out, "{} now expected {date}", po_number.trim())?;
            if changes.is_empty() {
                writeln!(out, "No promise moved later")?;
            }
            for change in &changes {
                let show = |window: Option<crate::domain::promise::EtaWindow>| {
                    window.map_or_else(
                        || "date unknown".to_owned(),
                        |w| format!("{} – {}", w.start, w.end),
                    )
                };
                writeln!(
                    out,
                    "Promise changed: {} {} {} <{}>: {} → {}",
                    change.order_number,
                    change.sku,
                    change.customer_name,
                    change.customer_email,
                    show(change.old),
                    show(change.new)
                )?;
            }
        }
        Command::Import {
            what,
            file,
            format,
            mapping,
            dry_run,
            valid_only,
            date_format,
            location,
            create,
        } => {
            let mut store = open(&path, access, cli)?;
            let orders = matches!(what, ImportWhat::Orders);
            let format = match (format.to_lowercase().as_str(), orders) {
                ("auto", _) => None,
                ("own", _) => Some(Format::Own),
                ("shopify", _) | ("shopify-orders", true) => Some(Format::Shopify),
                ("woocommerce", _) | ("woocommerce-orders", true) => Some(Format::WooCommerce),
                ("etsy" | "etsy-orders", true) => Some(Format::Etsy),
                (other, true) => {
                    return Err(anyhow!(
                        "--format must be auto, own, shopify-orders, woocommerce-orders or \
                         etsy-orders, not '{other}'"
                    ));
                }
                (other, false) => {
                    return Err(anyhow!(
                        "--format must be auto, own, shopify or woocommerce, not '{other}'"
                    ));
                }
            };
            if mapping.is_some() && !orders {
                return Err(anyhow!(
                    "--mapping reads orders files only: use `import orders FILE --mapping NAME`"
                ));
            }
            let date_order = date_format
                .as_deref()
                .map(|text| {
                    text.parse::<DateOrder>().map_err(|_| {
                        anyhow!("--date-format must be DD/MM/YYYY or MM/DD/YYYY, not '{text}'")
                    })
                })
                .transpose()?;
            let kind = match what {
                ImportWhat::Products => ImportKind::Products,
                ImportWhat::Orders => ImportKind::Orders,
                ImportWhat::PurchaseOrders => ImportKind::PurchaseOrders,
                ImportWhat::Inventory => ImportKind::Inventory,
            };
            if kind != ImportKind::Inventory && (location.is_some() || *create) {
                return Err(anyhow!(
                    "--location and --create are for `import inventory` only"
                ));
            }
            let format = if kind == ImportKind::Inventory {
                match format {
                    None | Some(Format::Shopify) => Some(Format::ShopifyInventory),
                    Some(_) => {
                        return Err(anyhow!(
                            "`import inventory` reads Shopify's inventory export (--format auto or shopify)"
                        ));
                    }
                }
            } else {
                format
            };
            let request = ImportRequest {
                format,
                date_order,
                dry_run: *dry_run,
                valid_only: *valid_only,
                location: location.clone(),
                create_missing: *create,
                mapping: mapping.clone(),
                ..ImportRequest::new(kind, file.clone())
            };
            let report = run_import(&mut store, &request, &clock, &Progress::default())?;
            print_import_report(out, &report, *dry_run)?;
            if let Some(problem) = import_refusal(&report, *valid_only) {
                return Err(FileHasErrors(problem).into());
            }
        }
        Command::Imports => imports::list(&*open(&path, access, cli)?, out)?,
        Command::UndoImport { batch, dry_run } => {
            imports::undo(
                &mut *open(&path, access, cli)?,
                *batch,
                *dry_run,
                clock,
                out,
            )?;
        }
        Command::Export {
            what,
            file,
            format,
            from,
            location,
        } => {
            let store = open(&path, access, cli)?;
            match (format.to_lowercase().as_str(), what) {
                (format @ ("own" | "shopify" | "woocommerce"), ExportWhat::Badges) => {
                    let format = if format == "woocommerce" {
                        StorefrontFormat::WooCommerce
                    } else {
                        StorefrontFormat::Shopify
                    };
                    let kind = ExportKind::Badges(format);
                    let exported = export(&store, kind, file, clock.today())
                        .with_context(|| format!("export to {} failed", file.display()))?;
                    writeln!(out, "Wrote {exported} to {}", file.display())?;
                }
                ("own", _) => {
                    let kind = match what {
                        ExportWhat::Products => ExportKind::Products,
                        ExportWhat::Orders => ExportKind::Orders,
                        ExportWhat::PurchaseOrders => ExportKind::PurchaseOrders,
                        ExportWhat::Backorders => ExportKind::Backorders,
                        ExportWhat::Badges => ExportKind::Badges(StorefrontFormat::Shopify),
                    };
                    let exported = export(&store, kind, file, clock.today())
                        .with_context(|| format!("export to {} failed", file.display()))?;
                    writeln!(out, "Wrote {exported} to {}", file.display())?;
                }
                ("shopify", ExportWhat::Products) => {
                    let source = from.as_ref().ok_or_else(|| {
                        anyhow!("--format shopify needs --from SHOP_INVENTORY.csv (the inventory CSV exported by the shop: Products › Inventory › Export)")
                    })?;
                    let report =
                        export_shopify_inventory(&store, source, location.as_deref(), file)?;
                    print_inventory_report(out, &report, file)?;
                }
                (other, _) => {
                    return Err(anyhow!(
                        "--format {other} is not available for this export (own for all; shopify for products; shopify or woocommerce for badges)"
                    ));
                }
            }
        }
        Command::Kpi {
            from,
            to,
            sku,
            supplier,
            category,
            json,
        } => {
            let store = open(&path, access, cli)?;
            let request = kpi_request(
                clock.today(),
                *from,
                *to,
                sku.as_deref(),
                supplier.as_deref(),
                category.as_deref(),
            )?;
            if let Scope::Sku(sku) = &request.scope
                && store.product_id_by_sku(sku)?.is_none()
            {
                return Err(anyhow!("No product with SKU '{sku}'"));
            }
            let dashboard = crate::app::kpi::dashboard(&store, &request)?;
            if *json {
                writeln!(out, "{}", kpi_json(&dashboard))?;
            } else {
                print_kpi(out, &dashboard)?;
            }
        }
        Command::Check { repair } => {
            let mut session = open(&path, access, cli)?;
            let report = check_database(&session)?;
            if report.is_ok() {
                writeln!(
                    out,
                    "{}: integrity ok, schema version {} complete, references ok, ledger matches on hand for all {} products, reservations ok",
                    path.display(),
                    report.schema_version,
                    report.products
                )?;
                return Ok(());
            }
            for line in report.lines() {
                writeln!(out, "{line}")?;
            }
            if !*repair || !report.can_repair() {
                let problems = report.problem_count();
                return Err(if report.can_repair() {
                    anyhow!(
                        "{problems} problem(s) found; `check --repair` sets on hand from the ledger, re-allocates reservations and makes missing indexes and triggers again (after a backup)"
                    )
                } else {
                    let newest = store::backup::newest_backup(&path).map_or_else(
                        || "keep one from elsewhere".to_owned(),
                        |backup| format!("the newest is {}", backup.display()),
                    );
                    anyhow!(
                        "{problems} problem(s) found that only a backup can fix (data is damaged or missing); restore a backup: {newest} (`backups` lists them, `restore FILE` puts one back)"
                    )
                });
            }
            // A repair changes many figures at once: it runs while no other copy has the file
            // open.
            let repaired = session.exclusively(|store| repair_from_ledger(store, &clock))??;
            for product in &repaired.repaired {
                writeln!(
                    out,
                    "Repaired {}: on hand {} -> {}",
                    product.sku, product.was, product.now
                )?;
            }
            print_allocated(out, &repaired.reallocated)?;
            writeln!(
                out,
                "{} (backup first: {})",
                repaired.summary(),
                repaired.backup.display()
            )?;
            let after = check_database(&session)?;
            if !after.is_ok() {
                for line in after.lines() {
                    writeln!(out, "{line}")?;
                }
                return Err(anyhow!("some problems remain after the repair"));
            }
            writeln!(out, "Check after the repair: ok")?;
        }
        Command::Backup { to } => {
            let store = open(&path, access, cli)?;
            let (file, size) = backup_now(&store, to.as_deref(), &clock)?;
            writeln!(
                out,
                "Backup written: {} ({})",
                file.display(),
                size_text(size)
            )?;
        }
        Command::Backups => {
            let backups = list_backups(&path)?;
            if backups.is_empty() {
                writeln!(
                    out,
                    "No backups in {}",
                    store::backup::backups_folder(&path).display()
                )?;
            }
            for backup in &backups {
                writeln!(
                    out,
                    "{}  {:>10}  {:<36} {}",
                    backup.made_at.format("%Y-%m-%d %H:%M:%S"),
                    size_text(backup.size_bytes),
                    backup.reason.label(),
                    backup.path.display()
                )?;
            }
        }
        Command::Restore { file } => {
            // Not opened first: the shop may be damaged, which is why a backup is restored.
            // `--ignore-lock` does not apply: a restore replaces the file under every copy.
            let report = restore_shop(&path, file, &clock, COMMAND_WRITER_WAIT)?;
            if !report.previous.as_os_str().is_empty() {
                writeln!(
                    out,
                    "The shop file as it was is kept in {}",
                    report.previous.display()
                )?;
            }
            writeln!(
                out,
                "Restored {} from {} ({} products, {} orders)",
                path.display(),
                report.restored_from.display(),
                report.checked.products,
                report.checked.orders
            )?;
        }
        Command::SafetyStock(args) => safety::run_safety_stock(args, out)?,
        Command::Simulate {
            days,
            seed,
            warmup,
            json,
            keep,
        } => run_simulate(*days, *seed, *warmup, *json, keep.as_deref(), out)?,
        Command::Reorder { json } => {
            safety::run_reorder(&*open(&path, access, cli)?, clock, *json, out)?;
        }
        Command::Picklist {
            out: file,
            layout,
            paper,
            orders,
            list,
            print,
            printer,
        } => {
            let request = picklist::PicklistArgs {
                out: file,
                layout: layout.as_deref(),
                paper: paper.as_deref(),
                orders: orders.as_deref(),
                list: list.as_deref(),
                print: *print,
                printer: printer.as_deref(),
            };
            picklist::picklist(&mut *open(&path, access, cli)?, &request, clock, out)?;
        }
        Command::PicklistPicked { list_number } => {
            picklist::picked(&mut *open(&path, access, cli)?, list_number, clock, out)?;
        }
        Command::Picklists => picklist::list(&*open(&path, access, cli)?, out)?,
        Command::PackingSlip {
            order_number,
            out: file,
            paper,
        } => {
            picklist::slip(
                &*open(&path, access, cli)?,
                order_number,
                file,
                paper.as_deref(),
                clock,
                out,
            )?;
        }
    }
    Ok(())
}

fn run_simulate(
    days: u32,
    seed: u64,
    warmup_days: u32,
    json: bool,
    keep: Option<&Path>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use crate::app::simulate::{RuleReport, SimSpec, simulate_in};
    let spec = SimSpec {
        days,
        seed,
        warmup_days,
        ..SimSpec::default()
    };
    let report = simulate_in(spec, keep, &Progress::default())?;
    if json {
        writeln!(out, "{}", report.json())?;
        return Ok(());
    }
    writeln!(
        out,
        "Simulated {} days from {} after {} days of warm-up (seed {}): {} orders, {} purchase orders, {} receipts, {} lines cancelled by customers",
        days,
        spec.start,
        warmup_days,
        seed,
        report.orders,
        report.purchase_orders,
        report.receipts,
        report.cancelled_lines
    )?;
    let number = |value: Option<f64>, unit: &str| {
        value.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}{unit}"))
    };
    let days_text = |value: Option<i64>| value.map_or_else(|| "—".to_owned(), |v| format!("{v} d"));
    let row = |out: &mut dyn Write, name: &str, r: &RuleReport| -> anyhow::Result<()> {
        writeln!(
            out,
            "{:<22} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6} {:>9} {:>9}",
            name,
            r.backordered_lines,
            r.shipped_lines,
            number(r.kept_pct, "%"),
            number(r.inside_pct, "%"),
            days_text(r.median_width_days),
            days_text(r.p90_width_days),
            number(r.mean_lateness_days, " d"),
            number(r.delay_notices_per_100, ""),
        )?;
        Ok(())
    };
    writeln!(
        out,
        "{:<22} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6} {:>9} {:>9}",
        "Rule", "Lines", "Shipped", "Kept", "Inside", "Median", "P90", "Late by", "Notices"
    )?;
    row(out, "Shop's model", &report.model)?;
    row(out, "Naive (date + handling)", &report.naive)?;
    for (label, list) in [
        ("model", &report.model_by_supplier),
        ("naive", &report.naive_by_supplier),
    ] {
        for supplier in list {
            row(
                out,
                &format!("  {} ({label})", supplier.profile.code()),
                &supplier.report,
            )?;
        }
    }
    writeln!(
        out,
        "Lines: backordered lines given a window; Kept: shipped by the end of the first window; Inside: shipped inside it (both over shipped lines); Median/P90: first windows' width in days; Late by: mean days after the window of the late lines; Notices: delay notices per 100 backordered lines"
    )?;
    Ok(())
}

fn print_import_report(
    out: &mut dyn Write,
    report: &ImportReport,
    dry_run: bool,
) -> anyhow::Result<()> {
    let info = &report.summary.file;
    if info.layout.entity() == crate::io::csv_import::Entity::Orders {
        writeln!(out, "{}", report.headline())?;
    }
    let layout = match &info.inventory {
        Some(shape) => format!("{} ({})", info.layout.label(), shape.label()),
        None => info.layout.label().to_owned(),
    };
    writeln!(
        out,
        "Format: {layout} · encoding {} · delimiter {} · dates {}",
        info.encoding.label(),
        delimiter_label(info.delimiter),
        crate::io::csv_import::date_format_text(info.date_format)
    )?;
    if let Some(location) = report.location.as_deref().filter(|name| !name.is_empty()) {
        writeln!(out, "Location: {location}")?;
    }
    writeln!(
        out,
        "Rows: {} read, {} new, {} updated, {} unchanged, {} skipped, {} with errors",
        report.summary.rows_read,
        report.new,
        report.updated,
        report.unchanged,
        report.summary.rows_skipped,
        report.summary.rows_with_errors
    )?;
    let skipped = report.skipped_text();
    if !skipped.is_empty() {
        writeln!(out, "Skipped: {skipped}")?;
    }
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }
    if let Some(shop) = &report.storefront {
        writeln!(
            out,
            "Orders: {} new, {} changed, {} unchanged",
            shop.orders_new, shop.orders_changed, shop.orders_unchanged
        )?;
        for change in &shop.changes {
            writeln!(
                out,
                "changed: {}: {}",
                change.order_number,
                change.what.join("; ")
            )?;
        }
        if shop.confirmations > 0 {
            writeln!(
                out,
                "drafted: {} backorder confirmation(s) for orders of the last days (notify list)",
                shop.confirmations
            )?;
        }
    }
    if report.oversold_lines > 0 {
        writeln!(
            out,
            "oversold: {} line(s) of products that could not be backordered were recorded; \
             cancel the waiting units or keep them waiting (Orders screen)",
            report.oversold_lines
        )?;
    }
    for warning in &report.summary.warnings {
        writeln!(out, "warning: {warning}")?;
    }
    if report.summary.warnings_not_kept > 0 {
        writeln!(
            out,
            "… and {} more warnings",
            report.summary.warnings_not_kept
        )?;
    }
    for error in &report.summary.errors {
        writeln!(out, "error: {error}")?;
    }
    if report.summary.errors_not_kept > 0 {
        writeln!(out, "… and {} more errors", report.summary.errors_not_kept)?;
    }
    if report.written {
        writeln!(out, "Imported.")?;
    } else {
        writeln!(out, "Nothing was written.")?;
        if dry_run && !report.needs_location() && report.nothing.is_none() {
            writeln!(
                out,
                "Dry run: the import would write {} new and {} updated{}.",
                report.new,
                report.updated,
                if report.error_count() > 0 {
                    format!(
                        " and leave the {} row(s) with errors out (with --valid-only)",
                        report.error_count()
                    )
                } else {
                    String::new()
                }
            )?;
        }
    }
    if let Some(batch) = report.batch_id {
        writeln!(
            out,
            "Recorded as import {batch}; `undo-import` takes it back while nothing depends on it."
        )?;
    }
    Ok(())
}

/// Why an import ends with exit code 2 (the same for a dry run as for the real run): nothing
/// came of the file, a location must be chosen, or rows have errors and `--valid-only` was not
/// given. Printed once, on stderr (stdout already said that nothing was written).
fn import_refusal(report: &ImportReport, valid_only: bool) -> Option<String> {
    if report.needs_location() {
        return Some(format!(
            "the file holds stock for {} locations ({}); choose one with --location NAME",
            report.locations.len(),
            report.locations.join(", ")
        ));
    }
    let errors = report.error_count();
    if errors > 0 && !valid_only {
        return Some(format!(
            "{errors} row(s) have errors (fix them, or use --valid-only to import the good rows)"
        ));
    }
    report.nothing.clone()
}

fn print_inventory_report(
    out: &mut dyn Write,
    report: &InventoryWriteReport,
    file: &Path,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "Wrote {} rows to {}: {} change {} (the rest stay as the shop wrote them, so Shopify \
         changes nothing there)",
        report.rows_written,
        file.display(),
        report.changes.len(),
        report.column
    )?;
    let count = |n: u64, what: &str| (n > 0).then(|| format!("{n} {what}"));
    let left: Vec<String> = [
        count(report.unchanged, "already the desk's count"),
        count(report.unknown, "of variants the desk does not have"),
        count(report.not_tracked, "of products the desk does not track"),
        count(
            report.not_stocked.len() as u64,
            "not stocked at the location",
        ),
        count(report.other_location, "of other locations"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !left.is_empty() {
        writeln!(out, "Left as they were: {}", left.join(", "))?;
    }
    if !report.in_several_locations.is_empty() {
        writeln!(
            out,
            "Stocked at several locations, left alone (choose one with --location): {}",
            report.in_several_locations.join(", ")
        )?;
    }
    let show = |change: &crate::io::csv_import::InventoryChange| {
        format!(
            "line {}: {}{} {} → {}",
            change.line,
            change.variant,
            if change.location.is_empty() {
                String::new()
            } else {
                format!(" at {}", change.location)
            },
            change
                .current
                .map_or_else(|| "none".to_owned(), |n| n.to_string()),
            change.new
        )
    };
    let lowered: Vec<String> = report.lowered().map(show).collect();
    if !lowered.is_empty() {
        writeln!(out, "Lower than the shop's count ({}):", lowered.len())?;
        for line in lowered {
            writeln!(out, "  {line}")?;
        }
    }
    let emptied: Vec<String> = report.emptied().map(show).collect();
    if !emptied.is_empty() {
        writeln!(
            out,
            "Down to 0 from a positive count ({}) — check these before uploading:",
            emptied.len()
        )?;
        for line in emptied {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}

fn print_allocated(out: &mut dyn Write, moved: &[Allocated]) -> anyhow::Result<()> {
    for allocation in moved {
        if allocation.quantity > 0 {
            writeln!(
                out,
                "  {} got {} × {}",
                allocation.order_number, allocation.quantity, allocation.sku
            )?;
        } else {
            writeln!(
                out,
                "  {} gave back {} × {} (not enough on hand)",
                allocation.order_number, -allocation.quantity, allocation.sku
            )?;
        }
    }
    Ok(())
}

/// Parses `SKU=QTY` or `SKU=QTY@COST`.
fn parse_line(text: &str) -> anyhow::Result<(String, i64, Option<i64>)> {
    let (sku, rest) = text
        .rsplit_once('=')
        .ok_or_else(|| anyhow!("'{text}' is not SKU=QUANTITY"))?;
    let (quantity, cost) = match rest.split_once('@') {
        Some((quantity, cost)) => (quantity, Some(cost)),
        None => (rest, None),
    };
    let quantity: i64 = quantity
        .trim()
        .parse()
        .map_err(|_| anyhow!("'{text}': '{quantity}' is not a whole number"))?;
    let cost = cost
        .map(|cost| {
            crate::domain::parse_money(cost).map_err(|error| anyhow!("'{text}': cost {error}"))
        })
        .transpose()?;
    Ok((sku.trim().to_owned(), quantity, cost))
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The period and scope of `kpi` from its options.
fn kpi_request(
    today: NaiveDate,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    sku: Option<&str>,
    supplier: Option<&str>,
    category: Option<&str>,
) -> anyhow::Result<crate::app::kpi::KpiRequest> {
    let to = to.unwrap_or(today);
    let period = match from {
        Some(from) => Period::new(from, to).map_err(|message| anyhow!(message))?,
        None => Period::last_days(to, DEFAULT_PERIOD_DAYS),
    };
    let scope = match (sku, supplier, category) {
        (Some(sku), _, _) => Scope::Sku(sku.trim().to_owned()),
        (_, Some(name), _) => Scope::Supplier(name.trim().to_owned()),
        (_, _, Some(name)) => Scope::Category(name.trim().to_owned()),
        _ => Scope::All,
    };
    Ok(crate::app::kpi::KpiRequest {
        period,
        scope,
        today,
    })
}

/// The JSON object of `kpi --json`: percentages and days rounded to 2 decimals, `null` where a
/// value is undefined.
fn kpi_json(dashboard: &Dashboard) -> serde_json::Value {
    let figures = &dashboard.current;
    let mut cancel_reasons = serde_json::Map::new();
    for (reason, lines) in CancelReason::ALL
        .iter()
        .zip(dashboard.cancellations.reasons)
    {
        cancel_reasons.insert(reason.code().to_owned(), lines.into());
    }
    cancel_reasons.insert(
        "unknown".to_owned(),
        dashboard.cancellations.no_reason.into(),
    );
    let rounded = |value: Option<f64>| value.map(round2);
    let suppliers: Vec<serde_json::Value> = dashboard
        .suppliers
        .iter()
        .map(|s| {
            serde_json::json!({
                "supplier": s.supplier,
                "receipts": s.stats.receipts,
                "lead_time_mean_days": round2(s.stats.mean_days),
                "lead_time_sd_days": round2(s.stats.sd_days),
                "on_time_pct": rounded(s.stats.on_time_pct),
            })
        })
        .collect();
    let promises_by_supplier: Vec<serde_json::Value> = dashboard
        .promise_suppliers
        .iter()
        .map(|s| {
            serde_json::json!({
                "supplier": s.supplier,
                "promised_lines_shipped": s.totals.lines,
                "promise_kept_pct": rounded(s.kept_pct),
                "promise_inside_pct": rounded(s.inside_pct),
            })
        })
        .collect();
    serde_json::json!({
        "from": dashboard.request.period.from.to_string(),
        "to": dashboard.request.period.to.to_string(),
        "orders": figures.totals.orders,
        "backorder_rate_pct": rounded(figures.backorder_rate_pct),
        "fill_rate_pct": rounded(figures.fill_rate_pct),
        "order_fill_rate_pct": rounded(figures.order_fill_rate_pct),
        "perfect_order_pct": rounded(figures.perfect_order_pct),
        "avg_backorder_wait_days": rounded(figures.avg_backorder_wait_days),
        "stockout_frequency_pct": rounded(figures.stockout_frequency_pct),
        "inventory_turnover": rounded(figures.inventory_turnover),
        "late_inbound_lines": dashboard.late_inbound_lines,
        "backorder_cancellation_pct": rounded(dashboard.cancellations.backorder_cancellation_pct()),
        "in_stock_cancellation_pct": rounded(dashboard.cancellations.in_stock_cancellation_pct()),
        "backordered_lines": dashboard.cancellations.backordered_lines,
        "backordered_lines_cancelled": dashboard.cancellations.backordered_cancelled,
        "in_stock_lines": dashboard.cancellations.in_stock_lines,
        "in_stock_lines_cancelled": dashboard.cancellations.in_stock_cancelled,
        "backorder_cancel_reasons": cancel_reasons,
        "suppliers": suppliers,
        "promised_lines_shipped": figures.promises.lines,
        "promise_kept_pct": rounded(figures.promise_kept_pct),
        "promise_inside_pct": rounded(figures.promise_inside_pct),
        "promise_target_pct": round2(dashboard.promise_target_pct),
        "promises_by_supplier": promises_by_supplier,
    })
}

fn print_kpi(out: &mut dyn Write, dashboard: &Dashboard) -> anyhow::Result<()> {
    let figures = &dashboard.current;
    let request = &dashboard.request;
    let show = |value: Option<f64>, unit: &str| {
        value.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}{unit}"))
    };
    writeln!(
        out,
        "KPIs {} to {} ({} days), {}",
        request.period.from,
        request.period.to,
        request.period.days(),
        request.scope.label()
    )?;
    let rows = [
        ("Orders", figures.totals.orders.to_string()),
        ("Backorder rate", show(figures.backorder_rate_pct, "%")),
        ("Fill rate (units)", show(figures.fill_rate_pct, "%")),
        ("Order fill rate", show(figures.order_fill_rate_pct, "%")),
        ("Perfect orders", show(figures.perfect_order_pct, "%")),
        (
            "Average backorder wait",
            show(figures.avg_backorder_wait_days, " days"),
        ),
        (
            "Stockout frequency",
            show(figures.stockout_frequency_pct, "%"),
        ),
        ("Inventory turnover", show(figures.inventory_turnover, "")),
        (
            "Late inbound lines",
            dashboard.late_inbound_lines.to_string(),
        ),
        (
            "Backorder cancellations",
            show(dashboard.cancellations.backorder_cancellation_pct(), "%"),
        ),
        (
            "In-stock cancellations",
            show(dashboard.cancellations.in_stock_cancellation_pct(), "%"),
        ),
        ("Promises kept", show(figures.promise_kept_pct, "%")),
        (
            "Shipped inside window",
            show(figures.promise_inside_pct, "%"),
        ),
    ];
    for (label, value) in rows {
        writeln!(out, "  {label:<24} {value}")?;
    }
    writeln!(
        out,
        "  {:<24} {} backordered lines shipped with a first promise; target {:.0}% kept",
        "", figures.promises.lines, dashboard.promise_target_pct
    )?;
    if !dashboard.promise_suppliers.is_empty() {
        writeln!(
            out,
            "{:<24} {:>8} {:>8} {:>8}",
            "Promises by supplier", "Lines", "Kept", "Inside"
        )?;
        for s in &dashboard.promise_suppliers {
            let name = if s.supplier.is_empty() {
                "(no supplier)"
            } else {
                s.supplier.as_str()
            };
            writeln!(
                out,
                "{:<24} {:>8} {:>8} {:>8}",
                truncate(name, 24),
                s.totals.lines,
                show(s.kept_pct, "%"),
                show(s.inside_pct, "%")
            )?;
        }
    }
    if dashboard.suppliers.is_empty() {
        writeln!(out, "No receipts in the period")?;
    } else {
        writeln!(
            out,
            "{:<24} {:>8} {:>10} {:>8} {:>8}",
            "Supplier", "Receipts", "Mean days", "SD days", "On time"
        )?;
        for s in &dashboard.suppliers {
            writeln!(
                out,
                "{:<24} {:>8} {:>10.2} {:>8.2} {:>8}",
                truncate(&s.supplier, 24),
                s.stats.receipts,
                s.stats.mean_days,
                s.stats.sd_days,
                show(s.stats.on_time_pct, "%")
            )?;
        }
    }
    Ok(())
}
