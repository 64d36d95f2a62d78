//! Importing a purchase orders file: POs and their lines.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::format_cents;
use crate::domain::ids::PoId;
use crate::domain::limits::check_event_day;
use crate::domain::order::PoStatus;
use crate::io::csv_import::{self, ImportedPoLine, RowError};
use crate::store::Connection;
use crate::store::ProductId;
use crate::store::imports::{existing_po_numbers, product_ids, settle_imported_pos};
use crate::store::products::supplier_id;
use crate::store::purchasing::{insert_po_line, insert_purchase_order};
use crate::store::rows::{NewPoLine, NewPurchaseOrder};

use super::read_ahead::{read_ahead, with_product};
use super::{ImportFailure, Job, Loaded, Tally, reason_of};

/// Loads a purchase orders file: new POs and their lines (known PO numbers are refused).
pub(super) fn load(
    job: &Job<'_>,
    opened: csv_import::ImportFile<'_>,
    tally: &mut Tally,
) -> Result<Loaded, ImportFailure> {
    let conn = job.conn;
    let rows = opened
        .purchase_orders()
        .map_err(|error| job.file_error(error))?;
    let index = product_ids(conn)?;
    let mut state = PoImport {
        existing: existing_po_numbers(conn)?,
        created: HashMap::new(),
    };
    let today = job.clock.today();
    let summary = read_ahead(
        rows,
        job.path_text,
        job.on_batch,
        with_product(&index, |row: &ImportedPoLine| &row.sku),
        |(row, product)| import_po_line(conn, &row, product, &mut state, tally, today),
    )?;
    settle_imported_pos(conn, job.marks.purchase_orders)?;
    Ok(Loaded::new(
        summary,
        vec![
            "po",
            "supplier",
            "sku",
            "quantity",
            "unit cost",
            "ordered",
            "expected",
            "received",
        ],
    ))
}

/// The purchase orders this import made, by number, and the numbers the shop had before.
/// The dates of an imported purchase-order line against today and each other.
fn po_line_dates_ok(row: &ImportedPoLine, tally: &mut Tally, today: NaiveDate) -> bool {
    if let Err(error) = check_event_day("ordered_at", row.ordered_at, today) {
        tally.error(
            row.line,
            "ordered_at",
            &row.ordered_at.to_string(),
            &reason_of(&error),
        );
        return false;
    }
    if let Some(received) = row.received_at {
        if let Err(error) = check_event_day("received_at", received, today) {
            tally.error(
                row.line,
                "received_at",
                &received.to_string(),
                &reason_of(&error),
            );
            return false;
        }
        if received < row.ordered_at {
            tally.error(
                row.line,
                "received_at",
                &received.to_string(),
                &format!(
                    "is before the purchase order was placed ({}); check both dates",
                    row.ordered_at
                ),
            );
            return false;
        }
    }
    true
}

struct PoImport {
    existing: std::collections::HashSet<String>,
    created: HashMap<String, PoId>,
}

fn import_po_line(
    conn: &Connection,
    row: &ImportedPoLine,
    product: Option<ProductId>,
    state: &mut PoImport,
    tally: &mut Tally,
    today: NaiveDate,
) -> Result<(), ImportFailure> {
    if state.existing.contains(&row.po_number) {
        tally.unchanged += 1;
        return Ok(());
    }
    let Some(product_id) = product else {
        tally.push_error(RowError::unknown_sku(row.line, &row.sku));
        return Ok(());
    };
    if !po_line_dates_ok(row, tally, today) {
        return Ok(());
    }
    if row.received_quantity > row.quantity {
        tally.error(
            row.line,
            "received_quantity",
            &row.received_quantity.to_string(),
            "more than the quantity ordered",
        );
        return Ok(());
    }
    let po_id = match state.created.get(&row.po_number) {
        Some(id) => *id,
        None => {
            let Some(supplier) = supplier_id(conn, &row.supplier)? else {
                tally.error(
                    row.line,
                    "supplier",
                    "",
                    "a purchase order needs a supplier",
                );
                return Ok(());
            };
            let id = insert_purchase_order(
                conn,
                &NewPurchaseOrder {
                    po_number: &row.po_number,
                    supplier_id: supplier,
                    ordered_at: row.ordered_at,
                    expected_at: row.expected_at,
                    confirmed: false,
                    status: PoStatus::Open,
                },
            )?;
            state.created.insert(row.po_number.clone(), id);
            id
        }
    };
    insert_po_line(
        conn,
        &NewPoLine {
            po_id,
            product_id,
            quantity: row.quantity,
            unit_cost_cents: row.unit_cost_cents,
            received_qty: row.received_quantity,
            received_at: row.received_at,
        },
    )?;
    tally.new += 1;
    tally.preview(|| {
        vec![
            row.po_number.clone(),
            row.supplier.clone(),
            row.sku.clone(),
            row.quantity.to_string(),
            format_cents(row.unit_cost_cents),
            row.ordered_at.to_string(),
            row.expected_at.map(|d| d.to_string()).unwrap_or_default(),
            row.received_quantity.to_string(),
        ]
    });
    Ok(())
}
