//! The pick list and packing slip commands.

use std::io::Write;
use std::path::Path;

use anyhow::anyhow;

use crate::app::Clock;
use crate::app::picklist::{
    PickListRequest, create_pick_list, document_settings, load_packing_slip, load_pick_list,
    mark_picked, packing_slip_pdf, pick_list_pdf, write_pdf,
};
use crate::app::print::print_pdf;
use crate::domain::picklist::{Paper, PickLayout, totals};
use crate::store::Store;
use crate::store::picklist::recent_pick_lists;

/// `picklist` arguments.
pub struct PicklistArgs<'a> {
    pub out: &'a Path,
    pub layout: Option<&'a str>,
    pub paper: Option<&'a str>,
    pub orders: Option<&'a str>,
    pub list: Option<&'a str>,
    pub print: bool,
    pub printer: Option<&'a str>,
}

/// "1 unit", "3 units".
fn units(count: i64) -> String {
    if count == 1 {
        "1 unit".to_owned()
    } else {
        format!("{count} units")
    }
}

fn parse_paper(text: Option<&str>, default: Paper) -> anyhow::Result<Paper> {
    match text {
        None => Ok(default),
        Some(text) => Paper::from_code(text)
            .ok_or_else(|| anyhow!("--paper must be a4 or letter, not '{}'", text.trim())),
    }
}

/// Makes (or, with `--list`, re-prints) a pick list and writes its PDF.
pub fn picklist(
    store: &mut Store,
    args: &PicklistArgs<'_>,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let layout = match args.layout {
        None => None,
        Some(text) => Some(
            PickLayout::from_code(text)
                .ok_or_else(|| anyhow!("--layout must be order or sku, not '{}'", text.trim()))?,
        ),
    };
    let settings = document_settings(store)?;
    let paper = parse_paper(args.paper, settings.paper)?;
    let sheet = match args.list {
        Some(number) => load_pick_list(store, number)?,
        None => {
            let orders = match args.orders {
                None => None,
                Some(text) => {
                    let numbers: Vec<String> = text
                        .split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if numbers.is_empty() {
                        return Err(anyhow!(
                            "--orders needs order numbers, e.g. SO-001001,SO-001002"
                        ));
                    }
                    Some(numbers)
                }
            };
            let layout = layout.unwrap_or_default();
            create_pick_list(store, &PickListRequest { layout, orders }, &clock)?
        }
    };
    let layout = layout.unwrap_or(sheet.layout);
    let bytes = pick_list_pdf(&sheet, &settings, layout, paper)?;
    write_pdf(args.out, &bytes)?;
    let sum = totals(&sheet.orders);
    writeln!(
        out,
        "Pick list {} ({}, {}): {} orders, {} lines, {} units written to {}",
        sheet.list_number,
        layout.label().to_lowercase(),
        paper.label(),
        sum.orders,
        sum.lines,
        sum.units,
        args.out.display()
    )?;
    for order in &sheet.orders {
        writeln!(
            out,
            "  {}{}: {}",
            order.order_number,
            if order.waited { " (waited)" } else { "" },
            units(order.units())
        )?;
    }
    if args.print {
        let answer = print_pdf(args.out, args.printer)?;
        writeln!(
            out,
            "Sent to {}{}",
            args.printer.unwrap_or("the default printer"),
            if answer.is_empty() {
                String::new()
            } else {
                format!(": {answer}")
            }
        )?;
    }
    Ok(())
}

/// Marks a list picked and prints what shipped.
pub fn picked(
    store: &mut Store,
    list_number: &str,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let report = mark_picked(store, list_number, &clock)?;
    writeln!(
        out,
        "Pick list {} picked: shipped {} of {}",
        report.list_number,
        units(report.units),
        report.orders.join(", ")
    )?;
    if !report.completed.is_empty() {
        writeln!(out, "Complete now: {}", report.completed.join(", "))?;
    }
    Ok(())
}

/// Lists the saved pick lists.
pub fn list(store: &Store, out: &mut dyn Write) -> anyhow::Result<()> {
    let lists = recent_pick_lists(store.connection(), 50)?;
    if lists.is_empty() {
        writeln!(out, "No pick lists yet")?;
    }
    for list in lists {
        writeln!(
            out,
            "{}  {}  {:<6}  {}{}",
            list.list_number,
            list.created_at.get(..16).unwrap_or(&list.created_at),
            list.layout.code(),
            list.status.label(),
            list.picked_at
                .as_deref()
                .map(|at| format!(" {}", at.get(..16).unwrap_or(at)))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

/// Writes an order's packing slip.
pub fn slip(
    store: &Store,
    order_number: &str,
    file: &Path,
    paper: Option<&str>,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let settings = document_settings(store)?;
    let paper = parse_paper(paper, settings.paper)?;
    let slip = load_packing_slip(store, order_number, settings.date_style)?;
    let bytes = packing_slip_pdf(&slip, &settings, paper, clock.now())?;
    write_pdf(file, &bytes)?;
    let shipped: i64 = slip.content.shipped.iter().map(|l| l.quantity).sum();
    let to_follow: i64 = slip.content.to_follow.iter().map(|l| l.quantity).sum();
    writeln!(
        out,
        "Packing slip {}: {} shipped, {to_follow} to follow, written to {}",
        slip.order_number,
        units(shipped),
        file.display()
    )?;
    Ok(())
}
