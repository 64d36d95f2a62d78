//! `import` and `export`: CSV files in and out.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, anyhow};

use crate::app::export::{ExportKind, export, export_shopify_inventory};
use crate::app::import::{ImportKind, ImportReport, ImportRequest, run_import};
use crate::app::jobs::Progress;
use crate::domain::storefront::StorefrontFormat;
use crate::io::csv_import::{DateOrder, Format, InventoryWriteReport, delimiter_label};

use super::args::{Command, ExportWhat, ImportWhat};
use super::context::FileHasErrors;
use super::context::{Ctx, misrouted, open};

/// Runs a command of this group.
pub(super) fn run(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    match command {
        Command::Import { .. } => import(ctx, command, out),
        Command::Export { .. } => export_file(ctx, command, out),
        other => Err(misrouted(other)),
    }
}

/// `import`.
fn import(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Import {
        what,
        file,
        format,
        mapping,
        dry_run,
        valid_only,
        date_format,
        location,
        create,
    } = command
    else {
        return Err(misrouted(command));
    };
    let Ctx {
        cli,
        path,
        access,
        clock,
        ..
    } = ctx;
    let mut store = open(path, access, cli)?;
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

    Ok(())
}

/// `export`.
fn export_file(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Export {
        what,
        file,
        format,
        from,
        location,
    } = command
    else {
        return Err(misrouted(command));
    };
    let Ctx {
        cli,
        path,
        access,
        clock,
        ..
    } = ctx;
    let store = open(path, access, cli)?;
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
            let report = export_shopify_inventory(&store, source, location.as_deref(), file)?;
            print_inventory_report(out, &report, file)?;
        }
        (other, _) => {
            return Err(anyhow!(
                "--format {other} is not available for this export (own for all; shopify for products; shopify or woocommerce for badges)"
            ));
        }
    }

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
