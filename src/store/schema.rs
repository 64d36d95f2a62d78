//! Versioned schema migrations. Each entry moves the file one version up; the version is kept in
//! `PRAGMA user_version`. Never edit a released migration: add a new one.

/// `PRAGMA application_id` of our files ("BDK1"), so a foreign SQLite file is recognised.
pub const APPLICATION_ID: i64 = 0x4244_4B31;

pub const MIGRATIONS: &[&str] = &[
    // Version 1: the whole shop.
    r"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE suppliers (
    supplier_id            INTEGER PRIMARY KEY,
    name                   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    email                  TEXT NOT NULL DEFAULT '',
    default_lead_time_days INTEGER CHECK (default_lead_time_days IS NULL OR default_lead_time_days >= 0)
);

CREATE TABLE products (
    product_id       INTEGER PRIMARY KEY,
    sku              TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    category         TEXT NOT NULL DEFAULT '',
    location         TEXT NOT NULL DEFAULT '',
    unit_cost_cents  INTEGER NOT NULL DEFAULT 0 CHECK (unit_cost_cents >= 0),
    price_cents      INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
    supplier_id      INTEGER REFERENCES suppliers(supplier_id),
    lead_time_days   INTEGER CHECK (lead_time_days IS NULL OR lead_time_days >= 0),
    backorder_policy TEXT NOT NULL DEFAULT 'yes' CHECK (backorder_policy IN ('no', 'yes', 'preorder')),
    max_wait_days    INTEGER NOT NULL DEFAULT 14 CHECK (max_wait_days >= 0),
    reorder_point    INTEGER NOT NULL DEFAULT 0 CHECK (reorder_point >= 0),
    -- Cache of SUM(stock_movements.quantity), written in the same transaction as each movement.
    on_hand          INTEGER NOT NULL DEFAULT 0,
    archived         INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX products_supplier ON products(supplier_id);

CREATE TABLE customers (
    customer_id INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customers_email ON customers(email COLLATE NOCASE);

CREATE TABLE orders (
    order_id      INTEGER PRIMARY KEY,
    order_number  TEXT NOT NULL UNIQUE,
    customer_id   INTEGER NOT NULL REFERENCES customers(customer_id),
    ordered_at    TEXT NOT NULL,
    priority      INTEGER NOT NULL DEFAULT 0 CHECK (priority IN (0, 1)),
    ship_complete INTEGER NOT NULL DEFAULT 0 CHECK (ship_complete IN (0, 1)),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'shipped', 'cancelled')),
    closed_at     TEXT,
    batch_id      INTEGER
);
CREATE INDEX orders_ordered_at ON orders(ordered_at);
CREATE INDEX orders_customer ON orders(customer_id);

CREATE TABLE order_lines (
    line_id          INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders(order_id) ON DELETE CASCADE,
    line_no          INTEGER NOT NULL,
    product_id       INTEGER NOT NULL REFERENCES products(product_id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL DEFAULT 0,
    reserved_qty     INTEGER NOT NULL DEFAULT 0 CHECK (reserved_qty >= 0),
    shipped_qty      INTEGER NOT NULL DEFAULT 0 CHECK (shipped_qty >= 0),
    cancelled_qty    INTEGER NOT NULL DEFAULT 0 CHECK (cancelled_qty >= 0),
    -- Units that could not be filled from stock when the line was ordered.
    backordered_at_order_qty INTEGER NOT NULL DEFAULT 0 CHECK (backordered_at_order_qty >= 0),
    shipped_at       TEXT,
    CHECK (reserved_qty + shipped_qty + cancelled_qty <= quantity),
    UNIQUE (order_id, line_no)
);
CREATE INDEX order_lines_product ON order_lines(product_id);
-- Lines still open (something not shipped or cancelled): the catalog sums these per product.
-- Queries must spell the term exactly `quantity > shipped_qty + cancelled_qty` (with their
-- table alias) for SQLite to use this partial index.
CREATE INDEX order_lines_open ON order_lines(product_id)
    WHERE quantity > shipped_qty + cancelled_qty;

CREATE TABLE purchase_orders (
    po_id       INTEGER PRIMARY KEY,
    po_number   TEXT NOT NULL UNIQUE,
    supplier_id INTEGER NOT NULL REFERENCES suppliers(supplier_id),
    ordered_at  TEXT NOT NULL,
    expected_at TEXT,
    confirmed   INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    status      TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'partly_received', 'received', 'cancelled')),
    batch_id    INTEGER
);

CREATE TABLE po_lines (
    po_line_id      INTEGER PRIMARY KEY,
    po_id           INTEGER NOT NULL REFERENCES purchase_orders(po_id) ON DELETE CASCADE,
    product_id      INTEGER NOT NULL REFERENCES products(product_id),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    unit_cost_cents INTEGER NOT NULL DEFAULT 0 CHECK (unit_cost_cents >= 0),
    received_qty    INTEGER NOT NULL DEFAULT 0 CHECK (received_qty >= 0),
    received_at     TEXT
);
CREATE INDEX po_lines_product ON po_lines(product_id);
CREATE INDEX po_lines_po ON po_lines(po_id);

-- Every change of a PO's expected date, so slips are visible.
CREATE TABLE po_date_changes (
    change_id       INTEGER PRIMARY KEY,
    po_id           INTEGER NOT NULL REFERENCES purchase_orders(po_id) ON DELETE CASCADE,
    changed_on      TEXT NOT NULL,
    old_expected_at TEXT,
    new_expected_at TEXT
);

CREATE TABLE stock_movements (
    movement_id   INTEGER PRIMARY KEY,
    product_id    INTEGER NOT NULL REFERENCES products(product_id),
    kind          TEXT NOT NULL CHECK (kind IN ('receipt', 'shipment', 'adjustment', 'import')),
    quantity      INTEGER NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    order_line_id INTEGER REFERENCES order_lines(line_id),
    po_line_id    INTEGER REFERENCES po_lines(po_line_id),
    batch_id      INTEGER
);
CREATE INDEX stock_movements_product ON stock_movements(product_id);
",
    // Version 2: promises kept per waiting line, and the slips the shop must tell customers about.
    r"
CREATE TABLE line_promises (
    line_id     INTEGER PRIMARY KEY REFERENCES order_lines(line_id) ON DELETE CASCADE,
    eta_start   TEXT,
    eta_end     TEXT,
    covered_by  TEXT,
    flags       TEXT NOT NULL DEFAULT '',
    computed_on TEXT NOT NULL
);

CREATE TABLE promise_changes (
    change_id   INTEGER PRIMARY KEY,
    line_id     INTEGER NOT NULL REFERENCES order_lines(line_id) ON DELETE CASCADE,
    detected_on TEXT NOT NULL,
    old_start   TEXT,
    old_end     TEXT,
    new_start   TEXT,
    new_end     TEXT,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX promise_changes_detected ON promise_changes(detected_on);
CREATE INDEX order_lines_order ON order_lines(order_id);
CREATE INDEX orders_open ON orders(status) WHERE status = 'open';
",
    // Version 3: customer messages (drafts and what was sent) and the shop's own templates.
    r"
CREATE TABLE message_templates (
    kind       TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE messages (
    message_id     INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders(order_id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    -- What caused the draft; the same event never drafts twice.
    event_key      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'sent', 'discarded', 'replaced')),
    recipient_name TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    sent_at        TEXT,
    UNIQUE (order_id, kind, event_key)
);
-- At most one unsent draft per order and kind.
CREATE UNIQUE INDEX messages_one_draft ON messages(order_id, kind) WHERE status = 'draft';
CREATE INDEX messages_status ON messages(status);
",
    // Version 4: indexes of the KPI dashboard's aggregates (closed orders, backordered lines,
    // the ledger by time, promise changes by line, receipts by day).
    r"
CREATE INDEX orders_closed_at ON orders(closed_at);
CREATE INDEX order_lines_backordered ON order_lines(order_id) WHERE backordered_at_order_qty > 0;
CREATE INDEX stock_movements_created ON stock_movements(created_at);
CREATE INDEX promise_changes_line ON promise_changes(line_id);
CREATE INDEX po_lines_received ON po_lines(received_at);
",
    // Version 5: per-product order rules for reorder suggestions: order in multiples of `order_multiple`,
    // at least `min_order_qty` units, up to `max_stock` (NULL: reorder point + EOQ).
    r"
ALTER TABLE products ADD COLUMN order_multiple INTEGER NOT NULL DEFAULT 1 CHECK (order_multiple >= 1);
ALTER TABLE products ADD COLUMN min_order_qty INTEGER NOT NULL DEFAULT 0 CHECK (min_order_qty >= 0);
ALTER TABLE products ADD COLUMN max_stock INTEGER CHECK (max_stock IS NULL OR max_stock >= 0);
",
    // Version 6: pick lists: what was printed for the floor, and whether it was picked (and shipped).
    r"
CREATE TABLE pick_lists (
    pick_list_id INTEGER PRIMARY KEY,
    list_number  TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    layout       TEXT NOT NULL CHECK (layout IN ('order', 'sku')),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'picked')),
    picked_at    TEXT
);

-- The units of each order line on a list; `position` keeps the order of work as printed.
CREATE TABLE pick_list_lines (
    pick_list_id INTEGER NOT NULL REFERENCES pick_lists(pick_list_id) ON DELETE CASCADE,
    line_id      INTEGER NOT NULL REFERENCES order_lines(line_id),
    position     INTEGER NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (pick_list_id, line_id)
) WITHOUT ROWID;
CREATE INDEX pick_list_lines_line ON pick_list_lines(line_id);
",
    // Version 7: the rest of the backorder practice. Payment at ship time (state, when the card
    // was authorized, what was captured), backorder cutoffs per product and per category, and
    // why a line was cancelled.
    r"
ALTER TABLE orders ADD COLUMN payment_state TEXT NOT NULL DEFAULT 'not_needed'
    CHECK (payment_state IN ('not_needed', 'authorized', 'captured', 'failed'));
ALTER TABLE orders ADD COLUMN authorized_at TEXT;
ALTER TABLE orders ADD COLUMN captured_cents INTEGER NOT NULL DEFAULT 0 CHECK (captured_cents >= 0);
ALTER TABLE orders ADD COLUMN capture_attempts INTEGER NOT NULL DEFAULT 0 CHECK (capture_attempts >= 0);
ALTER TABLE orders ADD COLUMN payment_updated_at TEXT;
ALTER TABLE products ADD COLUMN backorder_cutoff TEXT;
CREATE TABLE category_rules (
    category         TEXT PRIMARY KEY COLLATE NOCASE,
    backorder_cutoff TEXT
) WITHOUT ROWID;
ALTER TABLE order_lines ADD COLUMN cancel_reason TEXT
    CHECK (cancel_reason IS NULL OR cancel_reason IN ('customer', 'too_long', 'substitute', 'other'));
CREATE INDEX orders_payment ON orders(payment_state) WHERE payment_state IN ('authorized', 'failed', 'captured');
",
    // Version 8: `order_lines_order` repeated the first column of the UNIQUE (order_id, line_no)
    // index, which already serves every lookup by order; keeping both cost a second index on
    // every write and on every large import.
    r"
DROP INDEX order_lines_order;
",
    // Version 9: every import as a batch (when, which file, what kind, the counts) with what it
    // changed, so the last import can be undone. `id_ranges` holds, per table, the highest row id
    // before and after the import (JSON): the rows in between were written by it.
    r"
CREATE TABLE import_batches (
    batch_id         INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('products', 'orders', 'purchase_orders')),
    file_name        TEXT NOT NULL,
    imported_at      TEXT NOT NULL,
    rows_new         INTEGER NOT NULL DEFAULT 0,
    rows_updated     INTEGER NOT NULL DEFAULT 0,
    rows_unchanged   INTEGER NOT NULL DEFAULT 0,
    rows_with_errors INTEGER NOT NULL DEFAULT 0,
    id_ranges        TEXT NOT NULL,
    undone_at        TEXT
);

-- Per product an import created or changed: its fields before (NULL: created by the import) and
-- as the import left them. Per order and purchase order it created: the state it left them in
-- (what shipped, was cancelled or received), so a later change by hand is seen.
CREATE TABLE import_changes (
    -- Checked at commit: the import writes its changes before its batch row.
    batch_id INTEGER NOT NULL REFERENCES import_batches(batch_id) ON DELETE CASCADE
             DEFERRABLE INITIALLY DEFERRED,
    entity   TEXT NOT NULL CHECK (entity IN ('product', 'order', 'purchase_order')),
    row_id   INTEGER NOT NULL,
    before   TEXT,
    after    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (batch_id, entity, row_id)
) WITHOUT ROWID;

-- Ledger movements of an order line or PO line: found without a scan when lines are deleted.
CREATE INDEX stock_movements_order_line ON stock_movements(order_line_id);
CREATE INDEX stock_movements_po_line ON stock_movements(po_line_id);
",
];

/// Secondary indexes of orders and order lines that a large import drops and builds again after
/// loading (building an index after a bulk load is several times faster than keeping it up to
/// date row by row). Each statement is exactly the one in the migrations (a test checks).
///
/// The partial indexes of open orders, open lines and backordered lines stay: a history is
/// mostly closed lines, so keeping them costs a cheap test per row, while building one again
/// would read the whole table.
pub const ORDER_INDEXES: [(&str, &str); 4] = [
    (
        "orders_ordered_at",
        "CREATE INDEX orders_ordered_at ON orders(ordered_at)",
    ),
    (
        "orders_customer",
        "CREATE INDEX orders_customer ON orders(customer_id)",
    ),
    (
        "order_lines_product",
        "CREATE INDEX order_lines_product ON order_lines(product_id)",
    ),
    (
        "orders_closed_at",
        "CREATE INDEX orders_closed_at ON orders(closed_at)",
    ),
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
