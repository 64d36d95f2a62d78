//! Versioned schema migrations. Each entry moves the file one version up; the version is kept in
//! `PRAGMA user_version`. Never edit a released migration: add a new one.

/// `PRAGMA application_id` of our files ("BDK1"), so a foreign SQLite file is recognised.
pub const APPLICATION_ID: i64 = 0x4244_4B31;

/// The KPI triggers of promise history (migration 15). A line's first window counts on the day it finished shipping (promises
/// kept); the window in force counts on the day its order closed (perfect orders).
macro_rules! kpi_history_inserted {
    () => {
        "CREATE TRIGGER kpi_history_inserted AFTER INSERT ON promise_history
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = (SELECT MIN(day) FROM (
               SELECT substr(l.shipped_at, 1, 10) AS day FROM order_lines l
                WHERE l.line_id = NEW.line_id
               UNION ALL
               SELECT substr(o.closed_at, 1, 10) FROM order_lines l
                 JOIN orders o ON o.order_id = l.order_id
                WHERE l.line_id = NEW.line_id AND o.status <> 'open'))
     WHERE (SELECT MIN(day) FROM (
               SELECT substr(l.shipped_at, 1, 10) AS day FROM order_lines l
                WHERE l.line_id = NEW.line_id
               UNION ALL
               SELECT substr(o.closed_at, 1, 10) FROM order_lines l
                 JOIN orders o ON o.order_id = l.order_id
                WHERE l.line_id = NEW.line_id AND o.status <> 'open')) < dirty_from;
END"
    };
}
macro_rules! kpi_history_updated {
    () => {
        "CREATE TRIGGER kpi_history_updated
    AFTER UPDATE OF line_id, first_start, first_end, last_end ON promise_history
WHEN OLD.line_id IS NOT NEW.line_id OR OLD.first_start IS NOT NEW.first_start
  OR OLD.first_end IS NOT NEW.first_end OR OLD.last_end IS NOT NEW.last_end
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = (SELECT MIN(day) FROM (
               SELECT substr(l.shipped_at, 1, 10) AS day FROM order_lines l
                WHERE l.line_id IN (OLD.line_id, NEW.line_id)
               UNION ALL
               SELECT substr(o.closed_at, 1, 10) FROM order_lines l
                 JOIN orders o ON o.order_id = l.order_id
                WHERE l.line_id IN (OLD.line_id, NEW.line_id) AND o.status <> 'open'))
     WHERE (SELECT MIN(day) FROM (
               SELECT substr(l.shipped_at, 1, 10) AS day FROM order_lines l
                WHERE l.line_id IN (OLD.line_id, NEW.line_id)
               UNION ALL
               SELECT substr(o.closed_at, 1, 10) FROM order_lines l
                 JOIN orders o ON o.order_id = l.order_id
                WHERE l.line_id IN (OLD.line_id, NEW.line_id) AND o.status <> 'open')) < dirty_from;
END"
    };
}
macro_rules! kpi_history_deleted {
    () => {
        "CREATE TRIGGER kpi_history_deleted AFTER DELETE ON promise_history
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = (SELECT MIN(day) FROM (
               SELECT substr(l.shipped_at, 1, 10) AS day FROM order_lines l
                WHERE l.line_id = OLD.line_id
               UNION ALL
               SELECT substr(o.closed_at, 1, 10) FROM order_lines l
                 JOIN orders o ON o.order_id = l.order_id
                WHERE l.line_id = OLD.line_id AND o.status <> 'open'))
     WHERE (SELECT MIN(day) FROM (
               SELECT substr(l.shipped_at, 1, 10) AS day FROM order_lines l
                WHERE l.line_id = OLD.line_id
               UNION ALL
               SELECT substr(o.closed_at, 1, 10) FROM order_lines l
                 JOIN orders o ON o.order_id = l.order_id
                WHERE l.line_id = OLD.line_id AND o.status <> 'open')) < dirty_from;
END"
    };
}
macro_rules! kpi_history_supplier_changed {
    () => {
        "CREATE TRIGGER kpi_history_supplier_changed AFTER UPDATE OF supplier_id ON products
WHEN OLD.supplier_id IS NOT NEW.supplier_id
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = (SELECT MIN(substr(l.shipped_at, 1, 10))
           FROM order_lines l JOIN promise_history h ON h.line_id = l.line_id
          WHERE l.product_id = NEW.product_id)
     WHERE (SELECT MIN(substr(l.shipped_at, 1, 10))
              FROM order_lines l JOIN promise_history h ON h.line_id = l.line_id
             WHERE l.product_id = NEW.product_id) < dirty_from;
END"
    };
}
macro_rules! kpi_history_line_changed {
    () => {
        "CREATE TRIGGER kpi_history_line_changed
    AFTER UPDATE OF quantity, shipped_qty, cancelled_qty, shipped_at ON order_lines
WHEN EXISTS (SELECT 1 FROM promise_history h WHERE h.line_id = NEW.line_id)
BEGIN
    UPDATE kpi_rollup_state
       SET dirty_from = MIN(COALESCE(substr(OLD.shipped_at, 1, 10), dirty_from),
                            COALESCE(substr(NEW.shipped_at, 1, 10), dirty_from))
     WHERE MIN(COALESCE(substr(OLD.shipped_at, 1, 10), dirty_from),
               COALESCE(substr(NEW.shipped_at, 1, 10), dirty_from)) < dirty_from;
END"
    };
}

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
    // Version 10: KPI rollups: what each day adds to the dashboard of all products, stockout runs per
    // product, and per-product sums of order lines over windows of days, kept for the days
    // before `dirty_from`. Triggers note every change that makes a stored day stale: order lines
    // and orders by their state at the last refresh (so a change and its undo in between cancel
    // out), ledger movements and promises of closed orders by day, unit costs by product.
    r"
CREATE TABLE kpi_rollup_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    -- Stored days before this one are true; '' = nothing stored yet.
    dirty_from    TEXT NOT NULL,
    -- The handling days the perfect orders were counted with.
    handling_days INTEGER
);
INSERT INTO kpi_rollup_state (id, dirty_from) VALUES (1, '');

CREATE TABLE kpi_days (
    day                TEXT PRIMARY KEY,
    orders             INTEGER NOT NULL,
    backordered_orders INTEGER NOT NULL,
    units              INTEGER NOT NULL,
    units_short        INTEGER NOT NULL,
    closed_orders      INTEGER NOT NULL,
    perfect_orders     INTEGER NOT NULL,
    waited_lines       INTEGER NOT NULL,
    wait_days          INTEGER NOT NULL,
    value_change_cents INTEGER NOT NULL,
    cogs_cents         INTEGER NOT NULL,
    waiting_lines      INTEGER NOT NULL,
    stockout_skus      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE kpi_stockout_runs (
    product_id INTEGER NOT NULL,
    first_day  TEXT NOT NULL,
    last_day   TEXT NOT NULL,
    PRIMARY KEY (product_id, first_day)
) WITHOUT ROWID;
CREATE INDEX kpi_stockout_runs_last ON kpi_stockout_runs(last_day);

-- Per product: units ordered minus cancelled and their revenue over from_day ..= to_day
-- (24-byte entries: product id, units, cents).
CREATE TABLE kpi_product_sums (
    from_day TEXT NOT NULL,
    to_day   TEXT NOT NULL,
    used     INTEGER NOT NULL,
    sums     BLOB NOT NULL,
    PRIMARY KEY (from_day, to_day)
) WITHOUT ROWID;

-- Rows changed since the last refresh, as they were then (existed = 0: new since).
CREATE TABLE kpi_touched_lines (
    line_id                  INTEGER PRIMARY KEY,
    existed                  INTEGER NOT NULL,
    order_id                 INTEGER,
    product_id               INTEGER,
    quantity                 INTEGER,
    unit_price_cents         INTEGER,
    shipped_qty              INTEGER,
    cancelled_qty            INTEGER,
    backordered_at_order_qty INTEGER,
    shipped_at               TEXT
);
CREATE TABLE kpi_touched_orders (
    order_id   INTEGER PRIMARY KEY,
    ordered_at TEXT NOT NULL,
    status     TEXT NOT NULL,
    closed_at  TEXT
);
CREATE TABLE kpi_touched_products (
    product_id     INTEGER PRIMARY KEY,
    old_cost_cents INTEGER NOT NULL
);

-- Lines short when ordered by ship day (covering what a wait needs): waits per day, and the
-- lines that may still wait.
CREATE INDEX order_lines_backordered_shipped ON order_lines(shipped_at, order_id, product_id,
    quantity, shipped_qty, cancelled_qty) WHERE backordered_at_order_qty > 0;
-- Stock and cost per product without reading the product rows.
CREATE INDEX products_stock ON products(archived, on_hand, unit_cost_cents);

CREATE TRIGGER kpi_line_inserted AFTER INSERT ON order_lines
BEGIN
    INSERT INTO kpi_touched_lines (line_id, existed) SELECT NEW.line_id, 0
     WHERE NOT EXISTS (SELECT 1 FROM kpi_touched_lines WHERE line_id = NEW.line_id);
END;
CREATE TRIGGER kpi_line_updated AFTER UPDATE OF order_id, product_id, quantity, unit_price_cents,
    shipped_qty, cancelled_qty, backordered_at_order_qty, shipped_at ON order_lines
WHEN OLD.order_id IS NOT NEW.order_id OR OLD.product_id IS NOT NEW.product_id
  OR OLD.quantity IS NOT NEW.quantity OR OLD.unit_price_cents IS NOT NEW.unit_price_cents
  OR OLD.shipped_qty IS NOT NEW.shipped_qty OR OLD.cancelled_qty IS NOT NEW.cancelled_qty
  OR OLD.backordered_at_order_qty IS NOT NEW.backordered_at_order_qty
  OR OLD.shipped_at IS NOT NEW.shipped_at
BEGIN
    INSERT INTO kpi_touched_lines SELECT OLD.line_id, 1, OLD.order_id, OLD.product_id,
           OLD.quantity, OLD.unit_price_cents, OLD.shipped_qty, OLD.cancelled_qty,
           OLD.backordered_at_order_qty, OLD.shipped_at
     WHERE NOT EXISTS (SELECT 1 FROM kpi_touched_lines WHERE line_id = OLD.line_id);
END;
CREATE TRIGGER kpi_line_deleted AFTER DELETE ON order_lines
BEGIN
    INSERT INTO kpi_touched_lines SELECT OLD.line_id, 1, OLD.order_id, OLD.product_id,
           OLD.quantity, OLD.unit_price_cents, OLD.shipped_qty, OLD.cancelled_qty,
           OLD.backordered_at_order_qty, OLD.shipped_at
     WHERE NOT EXISTS (SELECT 1 FROM kpi_touched_lines WHERE line_id = OLD.line_id);
END;
CREATE TRIGGER kpi_order_updated AFTER UPDATE OF ordered_at, status, closed_at ON orders
WHEN OLD.ordered_at IS NOT NEW.ordered_at OR OLD.status IS NOT NEW.status
  OR OLD.closed_at IS NOT NEW.closed_at
BEGIN
    INSERT INTO kpi_touched_orders SELECT OLD.order_id, OLD.ordered_at, OLD.status, OLD.closed_at
     WHERE NOT EXISTS (SELECT 1 FROM kpi_touched_orders WHERE order_id = OLD.order_id);
END;
CREATE TRIGGER kpi_order_deleted AFTER DELETE ON orders
BEGIN
    INSERT INTO kpi_touched_orders SELECT OLD.order_id, OLD.ordered_at, OLD.status, OLD.closed_at
     WHERE NOT EXISTS (SELECT 1 FROM kpi_touched_orders WHERE order_id = OLD.order_id);
END;
CREATE TRIGGER kpi_movement_inserted AFTER INSERT ON stock_movements
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = substr(NEW.created_at, 1, 10)
     WHERE substr(NEW.created_at, 1, 10) < dirty_from;
END;
CREATE TRIGGER kpi_movement_updated AFTER UPDATE OF product_id, kind, quantity, created_at
    ON stock_movements
BEGIN
    UPDATE kpi_rollup_state
       SET dirty_from = MIN(substr(OLD.created_at, 1, 10), substr(NEW.created_at, 1, 10))
     WHERE MIN(substr(OLD.created_at, 1, 10), substr(NEW.created_at, 1, 10)) < dirty_from;
END;
CREATE TRIGGER kpi_movement_deleted AFTER DELETE ON stock_movements
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = substr(OLD.created_at, 1, 10)
     WHERE substr(OLD.created_at, 1, 10) < dirty_from;
END;
CREATE TRIGGER kpi_product_cost_changed AFTER UPDATE OF unit_cost_cents ON products
WHEN OLD.unit_cost_cents IS NOT NEW.unit_cost_cents
BEGIN
    INSERT INTO kpi_touched_products SELECT OLD.product_id, OLD.unit_cost_cents
     WHERE NOT EXISTS (SELECT 1 FROM kpi_touched_products WHERE product_id = OLD.product_id);
END;
CREATE TRIGGER kpi_promise_inserted AFTER INSERT ON line_promises
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = (SELECT substr(o.closed_at, 1, 10)
           FROM order_lines l JOIN orders o ON o.order_id = l.order_id
          WHERE l.line_id = NEW.line_id AND o.status <> 'open')
     WHERE (SELECT substr(o.closed_at, 1, 10)
              FROM order_lines l JOIN orders o ON o.order_id = l.order_id
             WHERE l.line_id = NEW.line_id AND o.status <> 'open') < dirty_from;
END;
CREATE TRIGGER kpi_promise_updated AFTER UPDATE OF line_id, eta_end ON line_promises
WHEN OLD.line_id IS NOT NEW.line_id OR OLD.eta_end IS NOT NEW.eta_end
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = (SELECT MIN(substr(o.closed_at, 1, 10))
           FROM order_lines l JOIN orders o ON o.order_id = l.order_id
          WHERE l.line_id IN (OLD.line_id, NEW.line_id) AND o.status <> 'open')
     WHERE (SELECT MIN(substr(o.closed_at, 1, 10))
              FROM order_lines l JOIN orders o ON o.order_id = l.order_id
             WHERE l.line_id IN (OLD.line_id, NEW.line_id) AND o.status <> 'open') < dirty_from;
END;
CREATE TRIGGER kpi_promise_deleted AFTER DELETE ON line_promises
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = (SELECT substr(o.closed_at, 1, 10)
           FROM order_lines l JOIN orders o ON o.order_id = l.order_id
          WHERE l.line_id = OLD.line_id AND o.status <> 'open')
     WHERE (SELECT substr(o.closed_at, 1, 10)
              FROM order_lines l JOIN orders o ON o.order_id = l.order_id
             WHERE l.line_id = OLD.line_id AND o.status <> 'open') < dirty_from;
END;
CREATE TRIGGER kpi_promise_change_inserted AFTER INSERT ON promise_changes
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = (SELECT substr(o.closed_at, 1, 10)
           FROM order_lines l JOIN orders o ON o.order_id = l.order_id
          WHERE l.line_id = NEW.line_id AND o.status <> 'open')
     WHERE (SELECT substr(o.closed_at, 1, 10)
              FROM order_lines l JOIN orders o ON o.order_id = l.order_id
             WHERE l.line_id = NEW.line_id AND o.status <> 'open') < dirty_from;
END;
CREATE TRIGGER kpi_promise_change_updated AFTER UPDATE OF line_id, new_end ON promise_changes
WHEN OLD.line_id IS NOT NEW.line_id OR OLD.new_end IS NOT NEW.new_end
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = (SELECT MIN(substr(o.closed_at, 1, 10))
           FROM order_lines l JOIN orders o ON o.order_id = l.order_id
          WHERE l.line_id IN (OLD.line_id, NEW.line_id) AND o.status <> 'open')
     WHERE (SELECT MIN(substr(o.closed_at, 1, 10))
              FROM order_lines l JOIN orders o ON o.order_id = l.order_id
             WHERE l.line_id IN (OLD.line_id, NEW.line_id) AND o.status <> 'open') < dirty_from;
END;
CREATE TRIGGER kpi_promise_change_deleted AFTER DELETE ON promise_changes
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = (SELECT substr(o.closed_at, 1, 10)
           FROM order_lines l JOIN orders o ON o.order_id = l.order_id
          WHERE l.line_id = OLD.line_id AND o.status <> 'open')
     WHERE (SELECT substr(o.closed_at, 1, 10)
              FROM order_lines l JOIN orders o ON o.order_id = l.order_id
             WHERE l.line_id = OLD.line_id AND o.status <> 'open') < dirty_from;
END;
",
    // Version 11: per order day, the lines placed and cancelled (backordered or from stock, with
    // the reasons), kept for the days before `dirty_from` for the cancellation card of the
    // dashboard of all products; triggers move `dirty_from` back to the order day of a changed
    // line or order.
    r"
CREATE TABLE kpi_cancel_days (
    day                   TEXT PRIMARY KEY,
    backordered_lines     INTEGER NOT NULL,
    backordered_cancelled INTEGER NOT NULL,
    in_stock_lines        INTEGER NOT NULL,
    in_stock_cancelled    INTEGER NOT NULL,
    reason_customer       INTEGER NOT NULL,
    reason_too_long       INTEGER NOT NULL,
    reason_substitute     INTEGER NOT NULL,
    reason_other          INTEGER NOT NULL,
    no_reason             INTEGER NOT NULL
) WITHOUT ROWID;
-- Stored days before this one are true; '' = nothing stored yet.
CREATE TABLE kpi_cancel_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    dirty_from TEXT NOT NULL
);
INSERT INTO kpi_cancel_state (id, dirty_from) VALUES (1, '');
CREATE TRIGGER kpi_cancel_line_inserted AFTER INSERT ON order_lines
BEGIN
    UPDATE kpi_cancel_state
       SET dirty_from = (SELECT substr(ordered_at, 1, 10) FROM orders WHERE order_id = NEW.order_id)
     WHERE (SELECT substr(ordered_at, 1, 10) FROM orders WHERE order_id = NEW.order_id) < dirty_from;
END;
CREATE TRIGGER kpi_cancel_line_updated
    AFTER UPDATE OF order_id, cancelled_qty, cancel_reason, backordered_at_order_qty ON order_lines
BEGIN
    UPDATE kpi_cancel_state
       SET dirty_from = (SELECT MIN(substr(ordered_at, 1, 10)) FROM orders
                          WHERE order_id IN (OLD.order_id, NEW.order_id))
     WHERE (SELECT MIN(substr(ordered_at, 1, 10)) FROM orders
             WHERE order_id IN (OLD.order_id, NEW.order_id)) < dirty_from;
END;
CREATE TRIGGER kpi_cancel_line_deleted AFTER DELETE ON order_lines
BEGIN
    UPDATE kpi_cancel_state
       SET dirty_from = (SELECT substr(ordered_at, 1, 10) FROM orders WHERE order_id = OLD.order_id)
     WHERE (SELECT substr(ordered_at, 1, 10) FROM orders WHERE order_id = OLD.order_id) < dirty_from;
END;
CREATE TRIGGER kpi_cancel_order_moved AFTER UPDATE OF ordered_at ON orders
BEGIN
    UPDATE kpi_cancel_state
       SET dirty_from = MIN(substr(OLD.ordered_at, 1, 10), substr(NEW.ordered_at, 1, 10))
     WHERE MIN(substr(OLD.ordered_at, 1, 10), substr(NEW.ordered_at, 1, 10)) < dirty_from;
END;
CREATE TRIGGER kpi_cancel_order_deleted AFTER DELETE ON orders
BEGIN
    UPDATE kpi_cancel_state SET dirty_from = substr(OLD.ordered_at, 1, 10)
     WHERE substr(OLD.ordered_at, 1, 10) < dirty_from;
END;
",
    // Version 12: the open-lines and open-orders indexes carry the columns their readers need
    // (the catalog's and the dashboard's passes over open lines, the order day of waiting lines),
    // so those passes read the index alone instead of one table row per line or order. Same
    // names and the same `WHERE` terms as before.
    r"
DROP INDEX order_lines_open;
CREATE INDEX order_lines_open ON order_lines(product_id, order_id, quantity, shipped_qty,
    cancelled_qty, reserved_qty)
    WHERE quantity > shipped_qty + cancelled_qty;
DROP INDEX orders_open;
CREATE INDEX orders_open ON orders(status, ordered_at, closed_at) WHERE status = 'open';
",
    // Version 13: a change to an order line or order marks only its order day for the
    // cancellation card (in `kpi_cancel_dirty`), instead of every stored day from that day on:
    // cancelling an old order then counts one day again, not all days since. The ledger's
    // product index carries the day, quantity and kind, so a product's movements (read again
    // after its unit cost changes) come from the index alone. A PO's date changes are found by
    // PO (the first expected date of each receipt, the change count of each PO).
    r"
CREATE TABLE kpi_cancel_dirty (day TEXT PRIMARY KEY) WITHOUT ROWID;
DROP INDEX stock_movements_product;
CREATE INDEX stock_movements_product ON stock_movements(product_id, created_at, quantity, kind);
CREATE INDEX po_date_changes_po ON po_date_changes(po_id, change_id);
DROP TRIGGER kpi_cancel_line_inserted;
DROP TRIGGER kpi_cancel_line_updated;
DROP TRIGGER kpi_cancel_line_deleted;
DROP TRIGGER kpi_cancel_order_moved;
DROP TRIGGER kpi_cancel_order_deleted;
CREATE TRIGGER kpi_cancel_line_inserted AFTER INSERT ON order_lines
BEGIN
    INSERT OR IGNORE INTO kpi_cancel_dirty (day)
    SELECT substr(o.ordered_at, 1, 10) FROM orders o, kpi_cancel_state s
     WHERE o.order_id = NEW.order_id AND substr(o.ordered_at, 1, 10) < s.dirty_from;
END;
CREATE TRIGGER kpi_cancel_line_updated
    AFTER UPDATE OF order_id, cancelled_qty, cancel_reason, backordered_at_order_qty ON order_lines
BEGIN
    INSERT OR IGNORE INTO kpi_cancel_dirty (day)
    SELECT substr(o.ordered_at, 1, 10) FROM orders o, kpi_cancel_state s
     WHERE o.order_id IN (OLD.order_id, NEW.order_id)
       AND substr(o.ordered_at, 1, 10) < s.dirty_from;
END;
CREATE TRIGGER kpi_cancel_line_deleted AFTER DELETE ON order_lines
BEGIN
    INSERT OR IGNORE INTO kpi_cancel_dirty (day)
    SELECT substr(o.ordered_at, 1, 10) FROM orders o, kpi_cancel_state s
     WHERE o.order_id = OLD.order_id AND substr(o.ordered_at, 1, 10) < s.dirty_from;
END;
CREATE TRIGGER kpi_cancel_order_moved AFTER UPDATE OF ordered_at ON orders
BEGIN
    INSERT OR IGNORE INTO kpi_cancel_dirty (day)
    SELECT d.day FROM (SELECT substr(OLD.ordered_at, 1, 10) AS day
                       UNION SELECT substr(NEW.ordered_at, 1, 10)) d, kpi_cancel_state s
     WHERE d.day < s.dirty_from;
END;
CREATE TRIGGER kpi_cancel_order_deleted AFTER DELETE ON orders
BEGIN
    INSERT OR IGNORE INTO kpi_cancel_dirty (day)
    SELECT substr(OLD.ordered_at, 1, 10) FROM kpi_cancel_state s
     WHERE substr(OLD.ordered_at, 1, 10) < s.dirty_from;
END;
",
    // Version 14: CHECK constraints spelled `col = a OR col = b` instead of `col IN (a, b)`.
    // SQLite evaluates an `IN (…)` list of a CHECK (or of a partial index's WHERE) by building a
    // small lookup table for every row written — measured at about half a microsecond per
    // constraint and row, which made the four checks of `orders` cost more than the row itself in
    // a large import. The two spellings accept exactly the same values. The texts are edited in
    // place (SQLite's documented procedure for changing a CHECK constraint, which does not touch
    // the stored rows), so an existing shop of any size migrates without copying its tables.
    // `writable_schema = RESET` makes this connection read the new texts (a text that does not
    // parse fails the migration, which rolls back); the index rebuilt below changes the schema
    // cookie, so every other connection reads them too. A text that does not match is left as it
    // was (still correct, only slower).
    r"
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'backorder_policy IN (''no'', ''yes'', ''preorder'')',
    'backorder_policy = ''no'' OR backorder_policy = ''yes'' OR backorder_policy = ''preorder'''),
    'archived IN (0, 1)',
    'archived = 0 OR archived = 1')
 WHERE type = 'table' AND name = 'products';
UPDATE sqlite_schema SET sql = replace(replace(replace(replace(sql,
    'priority IN (0, 1)',
    'priority = 0 OR priority = 1'),
    'ship_complete IN (0, 1)',
    'ship_complete = 0 OR ship_complete = 1'),
    'status IN (''open'', ''shipped'', ''cancelled'')',
    'status = ''open'' OR status = ''shipped'' OR status = ''cancelled'''),
    'payment_state IN (''not_needed'', ''authorized'', ''captured'', ''failed'')',
    'payment_state = ''not_needed'' OR payment_state = ''authorized'' OR payment_state = ''captured'' OR payment_state = ''failed''')
 WHERE type = 'table' AND name = 'orders';
UPDATE sqlite_schema SET sql = replace(sql,
    'cancel_reason IN (''customer'', ''too_long'', ''substitute'', ''other'')',
    'cancel_reason = ''customer'' OR cancel_reason = ''too_long'' OR cancel_reason = ''substitute'' OR cancel_reason = ''other''')
 WHERE type = 'table' AND name = 'order_lines';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'confirmed IN (0, 1)',
    'confirmed = 0 OR confirmed = 1'),
    'status IN (''open'', ''partly_received'', ''received'', ''cancelled'')',
    'status = ''open'' OR status = ''partly_received'' OR status = ''received'' OR status = ''cancelled''')
 WHERE type = 'table' AND name = 'purchase_orders';
UPDATE sqlite_schema SET sql = replace(sql,
    'kind IN (''receipt'', ''shipment'', ''adjustment'', ''import'')',
    'kind = ''receipt'' OR kind = ''shipment'' OR kind = ''adjustment'' OR kind = ''import''')
 WHERE type = 'table' AND name = 'stock_movements';
UPDATE sqlite_schema SET sql = replace(sql,
    'status IN (''draft'', ''sent'', ''discarded'', ''replaced'')',
    'status = ''draft'' OR status = ''sent'' OR status = ''discarded'' OR status = ''replaced''')
 WHERE type = 'table' AND name = 'messages';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'layout IN (''order'', ''sku'')',
    'layout = ''order'' OR layout = ''sku'''),
    'status IN (''open'', ''picked'')',
    'status = ''open'' OR status = ''picked''')
 WHERE type = 'table' AND name = 'pick_lists';
UPDATE sqlite_schema SET sql = replace(sql,
    'kind IN (''products'', ''orders'', ''purchase_orders'')',
    'kind = ''products'' OR kind = ''orders'' OR kind = ''purchase_orders''')
 WHERE type = 'table' AND name = 'import_batches';
UPDATE sqlite_schema SET sql = replace(sql,
    'entity IN (''product'', ''order'', ''purchase_order'')',
    'entity = ''product'' OR entity = ''order'' OR entity = ''purchase_order''')
 WHERE type = 'table' AND name = 'import_changes';
PRAGMA writable_schema = RESET;
DROP INDEX orders_payment;
CREATE INDEX orders_payment ON orders(payment_state)
    WHERE payment_state = 'authorized' OR payment_state = 'failed' OR payment_state = 'captured';
",
    // Real shops' products: whether a product's stock is counted (`track_stock`; one that is not
    // is always orderable and never waits), WooCommerce's sale price, and the product's identity
    // in its web shop (`shop_platform` + `shop_key`: Shopify's handle and option values,
    // WooCommerce's parent and attribute values or ID) with `sku_derived` = 1 when the shop has
    // no SKU of its own for it and `sku` holds a key derived from that identity. The ledger
    // takes `count` movements (stock set to a shop's inventory count) and the import batches
    // an `inventory` kind; both CHECK texts are edited in place as in version 14. Changing
    // whether a product is tracked changes which order lines the fill rates count, on every
    // day: the KPI rollups are then computed again.
    r"
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'kind = ''import''',
    'kind = ''import'' OR kind = ''count'''),
    '''adjustment'', ''import'')',
    '''adjustment'', ''import'', ''count'')')
 WHERE type = 'table' AND name = 'stock_movements';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'kind = ''purchase_orders''',
    'kind = ''purchase_orders'' OR kind = ''inventory'''),
    '''orders'', ''purchase_orders'')',
    '''orders'', ''purchase_orders'', ''inventory'')')
 WHERE type = 'table' AND name = 'import_batches';
PRAGMA writable_schema = RESET;
ALTER TABLE products ADD COLUMN track_stock INTEGER NOT NULL DEFAULT 1
    CHECK (track_stock = 0 OR track_stock = 1);
ALTER TABLE products ADD COLUMN sale_price_cents INTEGER
    CHECK (sale_price_cents IS NULL OR sale_price_cents >= 0);
ALTER TABLE products ADD COLUMN shop_platform TEXT
    CHECK (shop_platform IS NULL OR shop_platform = 'shopify' OR shop_platform = 'woocommerce');
ALTER TABLE products ADD COLUMN shop_key TEXT;
ALTER TABLE products ADD COLUMN sku_derived INTEGER NOT NULL DEFAULT 0
    CHECK (sku_derived = 0 OR sku_derived = 1);
CREATE UNIQUE INDEX products_shop_identity ON products(shop_platform, shop_key)
    WHERE shop_key IS NOT NULL;
CREATE TRIGGER products_tracking_changed AFTER UPDATE OF track_stock ON products
WHEN OLD.track_stock IS NOT NEW.track_stock
BEGIN
    UPDATE kpi_rollup_state SET dirty_from = '' WHERE dirty_from <> '';
END;
",
    // Version 16: the cancellation card's triggers cannot conflict, whatever the statement that
    // fires them says. They wrote `INSERT OR IGNORE INTO kpi_cancel_dirty`, but SQLite lets the
    // conflict clause of the outer statement override the one of a statement inside a trigger:
    // the import's `INSERT OR FAIL INTO order_lines` turned the second line of a day already
    // noted into "UNIQUE constraint failed: kpi_cancel_dirty.day", so every order import of a
    // past day failed once the dashboard had been computed. Each trigger now inserts only days
    // not noted yet (`NOT EXISTS`), each day once (`DISTINCT`: a line moved between two orders of
    // one day names that day twice). The other triggers already insert with `NOT EXISTS` or only
    // update their single state row.
    r"
DROP TRIGGER kpi_cancel_line_inserted;
DROP TRIGGER kpi_cancel_line_updated;
DROP TRIGGER kpi_cancel_line_deleted;
DROP TRIGGER kpi_cancel_order_moved;
DROP TRIGGER kpi_cancel_order_deleted;
CREATE TRIGGER kpi_cancel_line_inserted AFTER INSERT ON order_lines
BEGIN
    INSERT INTO kpi_cancel_dirty (day)
    SELECT DISTINCT substr(o.ordered_at, 1, 10) FROM orders o, kpi_cancel_state s
     WHERE o.order_id = NEW.order_id AND substr(o.ordered_at, 1, 10) < s.dirty_from
       AND NOT EXISTS (SELECT 1 FROM kpi_cancel_dirty c WHERE c.day = substr(o.ordered_at, 1, 10));
END;
CREATE TRIGGER kpi_cancel_line_updated
    AFTER UPDATE OF order_id, cancelled_qty, cancel_reason, backordered_at_order_qty ON order_lines
BEGIN
    INSERT INTO kpi_cancel_dirty (day)
    SELECT DISTINCT substr(o.ordered_at, 1, 10) FROM orders o, kpi_cancel_state s
     WHERE o.order_id IN (OLD.order_id, NEW.order_id)
       AND substr(o.ordered_at, 1, 10) < s.dirty_from
       AND NOT EXISTS (SELECT 1 FROM kpi_cancel_dirty c WHERE c.day = substr(o.ordered_at, 1, 10));
END;
CREATE TRIGGER kpi_cancel_line_deleted AFTER DELETE ON order_lines
BEGIN
    INSERT INTO kpi_cancel_dirty (day)
    SELECT DISTINCT substr(o.ordered_at, 1, 10) FROM orders o, kpi_cancel_state s
     WHERE o.order_id = OLD.order_id AND substr(o.ordered_at, 1, 10) < s.dirty_from
       AND NOT EXISTS (SELECT 1 FROM kpi_cancel_dirty c WHERE c.day = substr(o.ordered_at, 1, 10));
END;
CREATE TRIGGER kpi_cancel_order_moved AFTER UPDATE OF ordered_at ON orders
BEGIN
    INSERT INTO kpi_cancel_dirty (day)
    SELECT d.day FROM (SELECT substr(OLD.ordered_at, 1, 10) AS day
                       UNION SELECT substr(NEW.ordered_at, 1, 10)) d, kpi_cancel_state s
     WHERE d.day < s.dirty_from
       AND NOT EXISTS (SELECT 1 FROM kpi_cancel_dirty c WHERE c.day = d.day);
END;
CREATE TRIGGER kpi_cancel_order_deleted AFTER DELETE ON orders
BEGIN
    INSERT INTO kpi_cancel_dirty (day)
    SELECT substr(OLD.ordered_at, 1, 10) FROM kpi_cancel_state s
     WHERE substr(OLD.ordered_at, 1, 10) < s.dirty_from
       AND NOT EXISTS (SELECT 1 FROM kpi_cancel_dirty c WHERE c.day = substr(OLD.ordered_at, 1, 10));
END;
",
    // Version 17: orders from the storefront: where the parcel goes (ship-to fields), the order's currency,
    // which storefront order it is (platform and the platform's own order id, so a later export
    // finds it again) with the storefront's own status words, the storefront's id of each line
    // when the export has one, lines recorded although the product could not be backordered
    // (`oversold`), and column mappings saved for files of other platforms (the folded header
    // they were made for, and the chosen column of each field as JSON).
    r"
ALTER TABLE orders ADD COLUMN ship_name TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_company TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_address1 TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_address2 TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_city TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_region TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_country TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN currency TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN storefront TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN storefront_order_id TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN storefront_status TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX orders_storefront ON orders(storefront, storefront_order_id)
    WHERE storefront <> '';
ALTER TABLE order_lines ADD COLUMN storefront_line_id TEXT NOT NULL DEFAULT '';
ALTER TABLE order_lines ADD COLUMN oversold INTEGER NOT NULL DEFAULT 0
    CHECK (oversold = 0 OR oversold = 1);
CREATE INDEX order_lines_oversold ON order_lines(order_id) WHERE oversold = 1;
CREATE TABLE column_mappings (
    mapping_id       INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    header_signature TEXT NOT NULL,
    fields           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX column_mappings_signature ON column_mappings(header_signature);
",
    // Version 18: customer messages that stay true, the legal clock of every waiting line, and
    // sending by SMTP.
    // - `messages` gets a purpose (one unsent draft per order and purpose), the status
    //   `superseded` with its reason (was `replaced`, without one), the Message-ID of a message
    //   the mail server accepted and the server's answer to the last failed try. The table is
    //   copied (its CHECK changes); every row keeps its id.
    // - `message_lines`: what each message said about each order line (units, the window, whether
    //   stock or a purchase order backed it, and what the customer had been told before).
    // - `line_commitments`: the window promised when the order was placed and the legal shipping
    //   date that follows from it (16 CFR 435.2(a)(1); Directive 2011/83/EU art. 18(1)). Open
    //   lines of existing orders get the window before their first recorded slip (else their
    //   current one), and 30 days after the order without a window.
    // - `order_answers`: the customer's answer to a delay notice ("wait until …" / "cancel").
    // The legal rule, the stated shipping time and the SMTP server (never its password) are
    // settings.
    r"
CREATE TABLE messages_v15 (
    message_id        INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES orders(order_id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,
    purpose           TEXT NOT NULL,
    -- What the draft says (the same content never drafts twice).
    event_key         TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'draft'
                      CHECK (status = 'draft' OR status = 'sent' OR status = 'discarded'
                             OR status = 'superseded'),
    -- Why a draft was superseded.
    status_reason     TEXT,
    recipient_name    TEXT NOT NULL,
    recipient         TEXT NOT NULL,
    subject           TEXT NOT NULL,
    body              TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    sent_at           TEXT,
    -- The Message-ID header of the message the mail server accepted.
    message_id_header TEXT,
    -- The server's answer when the last try to send failed.
    send_error        TEXT,
    UNIQUE (order_id, kind, event_key)
);
INSERT INTO messages_v15 (message_id, order_id, kind, purpose, event_key, status, status_reason,
        recipient_name, recipient, subject, body, created_at, updated_at, sent_at)
SELECT message_id, order_id, kind,
       CASE kind WHEN 'preorder' THEN 'confirmation' WHEN 'date_known' THEN 'delay' ELSE kind END,
       event_key,
       CASE status WHEN 'replaced' THEN 'superseded' ELSE status END,
       CASE status WHEN 'replaced' THEN 'A newer draft of the same kind took its place' END,
       recipient_name, recipient, subject, body, created_at, updated_at, sent_at
  FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v15 RENAME TO messages;
CREATE UNIQUE INDEX messages_one_draft ON messages(order_id, purpose) WHERE status = 'draft';
CREATE INDEX messages_status ON messages(status);
CREATE INDEX messages_order ON messages(order_id);

CREATE TABLE message_lines (
    message_id   INTEGER NOT NULL REFERENCES messages(message_id) ON DELETE CASCADE,
    line_id      INTEGER NOT NULL REFERENCES order_lines(line_id) ON DELETE CASCADE,
    quantity     INTEGER NOT NULL,
    eta_start    TEXT,
    eta_end      TEXT,
    firm         INTEGER NOT NULL DEFAULT 1 CHECK (firm = 0 OR firm = 1),
    before_start TEXT,
    before_end   TEXT,
    PRIMARY KEY (message_id, line_id)
) WITHOUT ROWID;
CREATE INDEX message_lines_line ON message_lines(line_id);

CREATE TABLE line_commitments (
    line_id     INTEGER PRIMARY KEY REFERENCES order_lines(line_id) ON DELETE CASCADE,
    eta_start   TEXT,
    eta_end     TEXT,
    firm        INTEGER NOT NULL DEFAULT 0 CHECK (firm = 0 OR firm = 1),
    promised_by TEXT NOT NULL
);
INSERT INTO line_commitments (line_id, eta_start, eta_end, firm, promised_by)
SELECT l.line_id,
       COALESCE(c.old_start, p.eta_start),
       COALESCE(c.old_end, p.eta_end),
       CASE WHEN c.line_id IS NULL AND p.covered_by IS NOT NULL THEN 1 ELSE 0 END,
       COALESCE(c.old_end, p.eta_end, date(substr(o.ordered_at, 1, 10), '+30 days'))
  FROM order_lines l
  JOIN orders o ON o.order_id = l.order_id
  LEFT JOIN line_promises p ON p.line_id = l.line_id
  LEFT JOIN promise_changes c ON c.change_id = (SELECT MIN(change_id) FROM promise_changes
                                                 WHERE line_id = l.line_id)
 WHERE o.status = 'open' AND l.quantity > l.shipped_qty + l.cancelled_qty;

CREATE TABLE order_answers (
    answer_id   INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(order_id) ON DELETE CASCADE,
    answer      TEXT NOT NULL CHECK (answer = 'wait' OR answer = 'cancel'),
    wait_until  TEXT,
    answered_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX order_answers_order ON order_answers(order_id, answer_id);
",
    // Version 19: promises kept. Per order line that ever waited: the first window it was given
    // and the window in force when it stopped waiting (kept after it shipped, for the promise-kept
    // rate); per recorded slip, whether only the calendar moved it (recorded once a week per
    // line); per stored KPI day and supplier, the lines that shipped with a first window and how
    // many shipped by its end and inside it. Existing shops start from what they kept: a waiting
    // line's current window, or the window before the first slip recorded for a line. The stored
    // KPI days are worked out again.
    concat!(
        r"
CREATE TABLE promise_history (
    line_id     INTEGER PRIMARY KEY REFERENCES order_lines(line_id) ON DELETE CASCADE,
    first_start TEXT NOT NULL,
    first_end   TEXT NOT NULL,
    first_on    TEXT NOT NULL,
    last_start  TEXT NOT NULL,
    last_end    TEXT NOT NULL,
    last_on     TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE promise_changes ADD COLUMN calendar_only INTEGER NOT NULL DEFAULT 0;
-- Per day and supplier of the product (0: none): backordered lines that finished shipping with
-- a first window, how many by its end and inside it; kept like kpi_days (before dirty_from).
CREATE TABLE kpi_promise_days (
    day         TEXT NOT NULL,
    supplier_id INTEGER NOT NULL,
    lines       INTEGER NOT NULL,
    kept        INTEGER NOT NULL,
    inside      INTEGER NOT NULL,
    PRIMARY KEY (day, supplier_id)
) WITHOUT ROWID;
WITH known (line_id, rank, start_day, end_day, seen_on) AS (
    SELECT line_id, change_id * 2, old_start, old_end, detected_on FROM promise_changes
     WHERE old_start IS NOT NULL AND old_end IS NOT NULL
    UNION ALL
    SELECT line_id, change_id * 2 + 1, new_start, new_end, detected_on FROM promise_changes
     WHERE new_start IS NOT NULL AND new_end IS NOT NULL
    UNION ALL
    SELECT line_id, 4611686018427387904, eta_start, eta_end, computed_on FROM line_promises
     WHERE eta_start IS NOT NULL AND eta_end IS NOT NULL
),
ends (line_id, first_rank, last_rank) AS (
    SELECT line_id, MIN(rank), MAX(rank) FROM known GROUP BY line_id
)
INSERT INTO promise_history (line_id, first_start, first_end, first_on, last_start, last_end,
                             last_on)
SELECT e.line_id, f.start_day, f.end_day, f.seen_on, l.start_day, l.end_day, l.seen_on
  FROM ends e
  JOIN known f ON f.line_id = e.line_id AND f.rank = e.first_rank
  JOIN known l ON l.line_id = e.line_id AND l.rank = e.last_rank
 WHERE EXISTS (SELECT 1 FROM order_lines o WHERE o.line_id = e.line_id);
UPDATE kpi_rollup_state SET dirty_from = '';
",
        kpi_history_inserted!(),
        ";\n",
        kpi_history_updated!(),
        ";\n",
        kpi_history_deleted!(),
        ";\n",
        kpi_history_line_changed!(),
        ";\n",
        kpi_history_supplier_changed!(),
        ";\n"
    ),
    // Version 20: undo points of actions that change many rows at once (apply all suggestions, receive all,
    // ship, mark picked, draft purchase orders): per point the rows the action changed, as they
    // were before (`before`, NULL: the action added the row) and as it left them (`after`,
    // NULL: it removed the row), as JSON objects of the row's columns. A point is undone while
    // the columns it changed still hold what it left; its stock movements are reversed by new
    // movements, never deleted. The ids of the reversing movements are kept (`reversed_from`,
    // `reversed_to`) so an older point can tell them from later changes. Every shipment keeps
    // its tracking number. SKUs are looked up ignoring letter case (a SKU that differs from
    // another only in case is refused by the store; files that hold such pairs keep them). A
    // pick list keeps what
    // was printed (`pick_list_sheets.sheet`, JSON): printed again, it reads the same even after
    // its orders shipped or its products were renamed.
    r"
CREATE TABLE undo_points (
    point_id         INTEGER PRIMARY KEY,
    label            TEXT NOT NULL,
    made_at          TEXT NOT NULL,
    movements_before INTEGER NOT NULL,
    movements_after  INTEGER NOT NULL,
    order_lines_after INTEGER NOT NULL,
    undone_at        TEXT,
    reversed_from    INTEGER,
    reversed_to      INTEGER
);
CREATE TABLE undo_rows (
    point_id   INTEGER NOT NULL REFERENCES undo_points(point_id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    row_id     INTEGER NOT NULL,
    before     TEXT,
    after      TEXT,
    PRIMARY KEY (point_id, table_name, row_id)
) WITHOUT ROWID;
CREATE TABLE order_shipments (
    shipment_id     INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders(order_id) ON DELETE CASCADE,
    shipped_at      TEXT NOT NULL,
    units           INTEGER NOT NULL CHECK (units > 0),
    tracking_number TEXT NOT NULL DEFAULT ''
);
CREATE INDEX order_shipments_order ON order_shipments(order_id);
CREATE TABLE pick_list_sheets (
    pick_list_id INTEGER PRIMARY KEY REFERENCES pick_lists(pick_list_id) ON DELETE CASCADE,
    sheet        TEXT NOT NULL
);
CREATE INDEX products_sku_nocase ON products(sku COLLATE NOCASE);
",
    // Version 21: the waiting and on-order quantities, defined once. `open_order_lines` is every
    // order line with units neither shipped nor cancelled (the condition the partial index
    // `order_lines_open` is made for, spelled as it is there, so queries through the view keep
    // using it), with its open units and the units still waiting for stock (neither reserved,
    // shipped nor cancelled). `inbound_po_lines` is every line of an open purchase order with
    // units not yet received, with those units and its order's number, dates and supplier.
    // Views only: nothing is stored, no row is read.
    r"
CREATE VIEW open_order_lines AS
SELECT *,
       quantity - shipped_qty - cancelled_qty AS open_qty,
       quantity - reserved_qty - shipped_qty - cancelled_qty AS waiting_qty
  FROM order_lines
 WHERE quantity > shipped_qty + cancelled_qty;
CREATE VIEW inbound_po_lines AS
SELECT pl.*,
       pl.quantity - pl.received_qty AS on_order_qty,
       po.po_number, po.supplier_id, po.ordered_at, po.expected_at, po.confirmed, po.status
  FROM po_lines pl
  JOIN purchase_orders po ON po.po_id = pl.po_id
 WHERE (po.status = 'open' OR po.status = 'partly_received') AND pl.quantity > pl.received_qty;
",
];

/// Secondary indexes of orders and order lines that a large import drops and builds again after
/// loading (building an index after a bulk load is several times faster than keeping it up to
/// date row by row). Names only: the statements that build them again are read from the file's
/// own schema before they are dropped (`store::imports::drop_order_indexes`).
///
/// The partial indexes of open orders, open lines and backordered lines stay: a history is
/// mostly closed lines, so keeping them costs a cheap test per row, while building one again
/// would read the whole table.
pub const BULK_ORDER_INDEXES: [&str; 4] = [
    "orders_ordered_at",
    "orders_customer",
    "order_lines_product",
    "orders_closed_at",
];

/// The triggers that note KPI-relevant changes for the rollups are the ones named `kpi_…`. A
/// large load drops them (and marks the rollups stale) and creates them again afterwards from
/// the statements the file held (`store::kpi_rollup::suspend_tracking`).
pub const KPI_TRIGGER_PREFIX: &str = "kpi_";

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The tables, indexes, triggers and views (`"index orders_ordered_at"`) a file has at each
/// version, from running the migrations on an empty database in memory: index 0 is the empty
/// file, index N the file after migration N.
fn objects_by_version() -> &'static [std::collections::BTreeSet<String>] {
    static OBJECTS: std::sync::OnceLock<Vec<std::collections::BTreeSet<String>>> =
        std::sync::OnceLock::new();
    OBJECTS.get_or_init(|| {
        let mut versions = vec![std::collections::BTreeSet::new()];
        let Ok(conn) = rusqlite::Connection::open_in_memory() else {
            return versions;
        };
        for sql in MIGRATIONS {
            if conn.execute_batch(sql).is_err() {
                break;
            }
            versions.push(super::schema_objects(&conn).unwrap_or_default());
        }
        versions
    })
}

/// What a file at `version` has (empty for a version this build does not know).
pub fn objects_at(version: i64) -> &'static std::collections::BTreeSet<String> {
    static NONE: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    usize::try_from(version)
        .ok()
        .and_then(|version| objects_by_version().get(version))
        .unwrap_or(&NONE)
}

/// Every object any version has had.
pub fn all_objects() -> &'static std::collections::BTreeSet<String> {
    static ALL: std::sync::OnceLock<std::collections::BTreeSet<String>> =
        std::sync::OnceLock::new();
    ALL.get_or_init(|| objects_by_version().iter().flatten().cloned().collect())
}

/// The SQL of every index and trigger of the latest version (`"index NAME"` → `CREATE …`).
pub fn latest_sql() -> &'static std::collections::BTreeMap<String, String> {
    static SQL: std::sync::OnceLock<std::collections::BTreeMap<String, String>> =
        std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let read = || -> rusqlite::Result<std::collections::BTreeMap<String, String>> {
            let conn = rusqlite::Connection::open_in_memory()?;
            for sql in MIGRATIONS {
                conn.execute_batch(sql)?;
            }
            let mut statement = conn.prepare(
                "SELECT type || ' ' || name, sql FROM sqlite_schema
                  WHERE type IN ('index', 'trigger') AND sql IS NOT NULL",
            )?;
            let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect()
        };
        read().unwrap_or_default()
    })
}
