//! The command line's arguments: every command and its options (clap).

use std::path::PathBuf;

use anyhow::anyhow;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::app::Clock;
use crate::app::clock::parse_iso_date;
use crate::app::demo::DemoSpec;
use crate::app::session::Access;
use crate::store;

use super::{notify, practice, safety};

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
        /// Record it even when stock goes below zero (the stock count was wrong); without it
        /// such a change is refused
        #[arg(long)]
        allow_negative: bool,
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
        /// A supplier the shop has (letter case does not matter)
        #[arg(long)]
        supplier: String,
        /// Add the supplier to the shop when it has none of that name (without it, an unknown
        /// supplier is refused with the close matches)
        #[arg(long)]
        new_supplier: bool,
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
    pub(super) fn access(&self) -> Access {
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
