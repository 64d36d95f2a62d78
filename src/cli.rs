//! The command line: `backorder-desk [--db PATH] [--today DATE] <command>`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::app::Clock;
use crate::app::catalog::export_products;
use crate::app::clock::parse_iso_date;
use crate::app::demo::{DemoSpec, load_demo};
use crate::app::jobs::Progress;
use crate::domain::{StockStatus, format_cents};
use crate::store::{self, Store};

/// Keep selling when stock runs out, and keep every promise made to a waiting customer.
///
/// Without a command the window opens.
#[derive(Debug, Parser)]
#[command(name = "backorder-desk", version, about, long_about = None)]
pub struct Cli {
    /// The shop file to open or create (default: the platform data folder).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Fix "today" (YYYY-MM-DD) for reproducible output.
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_iso_date)]
    pub today: Option<NaiveDate>,
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
    /// Write data to a CSV file
    Export { what: ExportKind, file: PathBuf },
    /// Check the shop file: SQLite integrity and the stock ledger
    Check,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportKind {
    /// The catalog in the own product format
    Products,
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

fn open(path: &Path) -> anyhow::Result<Store> {
    Ok(Store::open(path)?)
}

/// Runs one command. Output goes to `out`; errors are returned for `main` to print.
pub fn run(cli: &Cli, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let clock = cli.clock();
    let path = cli.db_path()?;
    match command {
        Command::Demo {
            products,
            orders,
            seed,
        } => {
            let mut store = open(&path)?;
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
            let store = open(&path)?;
            let needle = search.as_deref().map(str::to_lowercase);
            let mut rows = store.catalog()?;
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
                        "status": row.status().code(),
                        "badge": row.status().label(),
                        "price": format_cents(row.price_cents),
                        "supplier": row.supplier,
                        "lead_time_days": row.lead_time_days,
                        "backorder_policy": row.policy.code(),
                        "max_wait_days": row.max_wait_days,
                    });
                    writeln!(out, "{value}")?;
                }
            } else {
                writeln!(
                    out,
                    "{:<12} {:<32} {:>8} {:>8} {:>9} {:>8} {:>11}  {:<12}",
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
                        "{:<12} {:<32} {:>8} {:>8} {:>9} {:>8} {:>11}  {:<12}",
                        row.sku,
                        truncate(&row.name, 32),
                        row.figures.on_hand,
                        row.figures.reserved,
                        row.figures.available(),
                        row.figures.on_order,
                        row.figures.backordered,
                        row.status().label()
                    )?;
                }
                let waiting = rows
                    .iter()
                    .filter(|row| row.status() == StockStatus::Backordered)
                    .count();
                writeln!(out, "{} products, {waiting} backordered", rows.len())?;
            }
        }
        Command::Adjust {
            sku,
            quantity,
            reason,
        } => {
            let mut store = open(&path)?;
            let product_id = store
                .product_id_by_sku(sku)?
                .ok_or_else(|| anyhow!("no product with SKU '{sku}'"))?;
            let on_hand = store.adjust_stock(product_id, *quantity, reason, &clock.now_text())?;
            writeln!(out, "{sku}: {quantity:+} ({reason}); on hand now {on_hand}")?;
        }
        Command::Export { what, file } => {
            let store = open(&path)?;
            match what {
                ExportKind::Products => {
                    let count = export_products(&store, file)
                        .with_context(|| format!("export to {} failed", file.display()))?;
                    writeln!(out, "Wrote {count} products to {}", file.display())?;
                }
            }
        }
        Command::Check => {
            let store = open(&path)?;
            store.integrity_check()?;
            let mismatches = store.ledger_mismatches()?;
            if mismatches.is_empty() {
                writeln!(
                    out,
                    "{}: integrity ok, schema version {}, ledger matches on hand for all {} products",
                    path.display(),
                    store.schema_version()?,
                    store.product_count()?
                )?;
            } else {
                for mismatch in &mismatches {
                    writeln!(
                        out,
                        "{}: on hand {} but ledger sums to {}",
                        mismatch.sku, mismatch.cached, mismatch.ledger
                    )?;
                }
                return Err(anyhow!(
                    "{} products disagree with the ledger",
                    mismatches.len()
                ));
            }
        }
    }
    Ok(())
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
