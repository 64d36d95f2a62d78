//! A deterministic demo shop: suppliers, products across categories with Pareto demand,
//! customers, a year of orders, received and open purchase orders, and some backorders.
//!
//! The same `seed`, sizes and "today" always give the same shop.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use thiserror::Error;

use super::Clock;
use super::jobs::Progress;
use super::promises::recompute;
use crate::domain::allocation::{Priority, WaitingLine, allocate};
use crate::domain::backup::BackupReason;
use crate::domain::order::{OrderStatus, PoStatus};
use crate::domain::product::ProductData;
use crate::domain::promise::EtaWindow;
use crate::domain::rng::Rng;
use crate::domain::{BackorderPolicy, MovementKind};
use crate::store::Connection;
use crate::store::demo::{first_po_date_change, set_expected_text};
use crate::store::rows::{NewOrder, NewOrderLine, NewPoLine, NewPurchaseOrder};
use crate::store::settings::{ONBOARDING, SENDER_EMAIL, SHOP_NAME, SIGNATURE};
use crate::store::{BulkWriter, Store, StoreError};

/// How big a demo shop to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSpec {
    pub products: usize,
    /// Order lines over the past year.
    pub order_lines: usize,
    pub seed: u64,
}

impl Default for DemoSpec {
    fn default() -> Self {
        Self {
            products: 400,
            order_lines: 6_000,
            seed: 7,
        }
    }
}

/// What the demo wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoSummary {
    pub suppliers: usize,
    pub products: usize,
    pub customers: usize,
    pub orders: usize,
    pub order_lines: usize,
    pub open_orders: usize,
    pub backordered_lines: usize,
    pub purchase_orders: usize,
}

#[derive(Debug, Error)]
pub enum DemoError {
    #[error(
        "the shop already has products; the demo only fills an empty shop (use a new file: --db NEW.sqlite)"
    )]
    NotEmpty,
    #[error("the demo needs at least 1 product")]
    NoProducts,
    #[error("cancelled; nothing was written")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

struct Category {
    name: &'static str,
    prefix: &'static str,
    aisle: char,
    nouns: &'static [&'static str],
    price_range: (i64, i64),
    /// Indices into `SUPPLIERS`.
    suppliers: &'static [usize],
}

const CATEGORIES: [Category; 6] = [
    Category {
        name: "Kitchen",
        suppliers: &[0, 6],
        prefix: "KIT",
        aisle: 'A',
        nouns: &[
            "Mug",
            "Teapot",
            "Bowl",
            "Plate",
            "Cutting board",
            "Kettle",
            "Apron",
        ],
        price_range: (8, 60),
    },
    Category {
        name: "Home",
        suppliers: &[3, 7],
        prefix: "HOM",
        aisle: 'B',
        nouns: &[
            "Candle",
            "Vase",
            "Cushion",
            "Throw blanket",
            "Photo frame",
            "Lamp",
        ],
        price_range: (12, 90),
    },
    Category {
        name: "Outdoor",
        suppliers: &[4, 7],
        prefix: "OUT",
        aisle: 'C',
        nouns: &[
            "Tent",
            "Sleeping bag",
            "Lantern",
            "Water bottle",
            "Backpack",
            "Camp chair",
        ],
        price_range: (15, 240),
    },
    Category {
        name: "Stationery",
        suppliers: &[5],
        prefix: "STA",
        aisle: 'D',
        nouns: &[
            "Notebook",
            "Fountain pen",
            "Planner",
            "Sketchbook",
            "Pencil set",
        ],
        price_range: (4, 45),
    },
    Category {
        name: "Apparel",
        suppliers: &[1],
        prefix: "APP",
        aisle: 'E',
        nouns: &["T-shirt", "Hoodie", "Beanie", "Scarf", "Socks", "Tote bag"],
        price_range: (10, 80),
    },
    Category {
        name: "Tools",
        suppliers: &[2],
        prefix: "TOO",
        aisle: 'F',
        nouns: &[
            "Hammer",
            "Screwdriver set",
            "Tape measure",
            "Work gloves",
            "Pliers",
        ],
        price_range: (9, 120),
    },
];

const ADJECTIVES: [&str; 12] = [
    "Classic", "Nordic", "Rustic", "Café", "Alpine", "Crème", "Fjäll", "Coastal", "Øresund",
    "Urban", "Heritage", "Compact",
];
const COLOURS: [&str; 8] = [
    "blue", "sand", "olive", "charcoal", "rose", "ivory", "forest", "rust",
];

/// Suppliers: name, lead time in days, lateness spread in days.
const SUPPLIERS: [(&str, i64, i64); 8] = [
    ("Northwind Ceramics", 14, 2),
    ("Fjord Textiles", 21, 4),
    ("Atlas Tools", 10, 1),
    ("Lumen Lighting", 18, 3),
    ("Kestrel Outdoor", 30, 6),
    ("Maple Paper Co.", 7, 1),
    ("Sunrise Kitchenware", 12, 2),
    ("Blue Harbor Goods", 25, 5),
];

const FIRST_NAMES: [(&str, &str); 16] = [
    ("Ada", "ada"),
    ("Björn", "bjorn"),
    ("Chloé", "chloe"),
    ("Dmitri", "dmitri"),
    ("Elena", "elena"),
    ("Farah", "farah"),
    ("Gus", "gus"),
    ("Hana", "hana"),
    ("Idris", "idris"),
    ("José", "jose"),
    ("Kai", "kai"),
    ("Lena", "lena"),
    ("Mateo", "mateo"),
    ("Nora", "nora"),
    ("Omar", "omar"),
    ("Zoë", "zoe"),
];
const LAST_NAMES: [(&str, &str); 12] = [
    ("Andersen", "andersen"),
    ("Brooks", "brooks"),
    ("Costa", "costa"),
    ("Dubois", "dubois"),
    ("Eriksson", "eriksson"),
    ("García", "garcia"),
    ("Hughes", "hughes"),
    ("Ito", "ito"),
    ("Jensen", "jensen"),
    ("Kowalski", "kowalski"),
    ("Müller", "muller"),
    ("Nakamura", "nakamura"),
];

struct DemoProduct {
    data: ProductData,
    supplier: usize,
    /// Prone to running out: its recent demand waits for stock.
    stockout_prone: bool,
}

struct DemoLine {
    product: usize,
    quantity: i64,
    unit_price_cents: i64,
    backordered_at_order: i64,
    /// Still open (not shipped): gets reserved or waits.
    open: bool,
    cancelled: bool,
    shipped_at: Option<NaiveDateTime>,
    reserved: i64,
}

struct DemoOrder {
    number: String,
    customer: usize,
    ordered_at: NaiveDateTime,
    high_priority: bool,
    ship_complete: bool,
    lines: Vec<DemoLine>,
}

/// Days of history before today.
const HISTORY_DAYS: i64 = 365;
/// Orders younger than this are still open.
const OPEN_DAYS: i64 = 6;
/// Lines of stockout-prone products younger than this still wait.
const WAITING_DAYS: i64 = 28;

/// Fills an empty shop with a demo. Progress goes from 0 to 1; cancelling writes nothing.
///
/// The shop is made in memory first (products, customers, a year of orders, today's stock and
/// reservations), then written in one transaction after a backup of the empty shop, then the
/// story is staged (first promises, a supplier's slip, the Outbox). One random sequence from the
/// seed runs through the steps in this order, so the same seed gives the same shop.
pub fn load_demo(
    store: &mut Store,
    spec: DemoSpec,
    clock: &Clock,
    progress: &Progress,
) -> Result<DemoSummary, DemoError> {
    if spec.products == 0 {
        return Err(DemoError::NoProducts);
    }
    let today = clock.today();
    let mut rng = Rng::new(spec.seed ^ 0x005E_ED0F_BAC0_0DE5);
    let mut products = make_products(spec, &mut rng);
    let picker = DemandPicker::new(products.len(), &mut rng);
    let customers = make_customers(spec);
    let mut orders = make_orders(spec, &products, &picker, customers.len(), today, &mut rng);
    progress.set(0.15);
    let figures = stock_today(&mut products, &orders, &mut rng);
    let backordered_lines = reserve_stock(&mut orders, &figures.on_hand_today);
    progress.set(0.25);
    if progress.is_cancelled() {
        return Err(DemoError::Cancelled);
    }

    // Write it all in one transaction, after a backup of the (empty) shop.
    let existing = crate::store::demo::product_count(store.connection())?;
    if existing > 0 {
        return Err(DemoError::NotEmpty);
    }
    super::backup::backup_before(store, BackupReason::Demo, clock)?;
    let writer = store.bulk()?;
    if writer.product_count()? > 0 {
        return Err(DemoError::NotEmpty);
    }
    // A year of history: the KPI rollups are built once when first needed, not row by row.
    writer.suspend_kpi_tracking()?;
    let ids = write_catalog(&writer, &products, &customers, &clock.now_text())?;
    let mut inbound = write_received_pos(&writer, &products, &orders, &ids, today, &mut rng)?;
    progress.set(0.35);
    write_open_pos(
        &writer,
        &products,
        &figures,
        &ids,
        today,
        &mut inbound,
        &mut rng,
    )?;
    let open_orders = write_orders(&writer, &products, &orders, &ids, progress)?;
    write_opening_stock(&writer, &figures, &inbound, &ids, today)?;
    writer.set_setting(SHOP_NAME, "Harbor & Pine Goods")?;
    writer.set_setting(SENDER_EMAIL, "orders@harborandpine.example")?;
    writer.set_setting(SIGNATURE, "Warm regards,\nMaya at Harbor & Pine Goods")?;
    writer.set_setting(ONBOARDING, "done")?;
    if progress.is_cancelled() {
        return Err(DemoError::Cancelled);
    }
    writer.resume_kpi_tracking()?;
    writer.commit()?;
    progress.set(0.92);
    stage_story(store, *clock)?;
    progress.set(1.0);

    Ok(DemoSummary {
        suppliers: SUPPLIERS.len(),
        products: products.len(),
        customers: customers.len(),
        orders: orders.len(),
        order_lines: orders.iter().map(|order| order.lines.len()).sum(),
        open_orders,
        backordered_lines,
        purchase_orders: inbound.po_count,
    })
}

/// Noon of a day.
fn at_noon(day: NaiveDate) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN) + Duration::hours(12)
}

/// The first day of the demo's history.
fn history_start(today: NaiveDate) -> NaiveDate {
    today - Duration::days(HISTORY_DAYS)
}

/// The catalog: names, prices, suppliers, lead times and policies by category.
fn make_products(spec: DemoSpec, rng: &mut Rng) -> Vec<DemoProduct> {
    let mut products = Vec::with_capacity(spec.products);
    for index in 0..spec.products {
        let category = &CATEGORIES[index % CATEGORIES.len()];
        let noun = rng.pick(category.nouns);
        let adjective = rng.pick(&ADJECTIVES);
        let colour = rng.pick(&COLOURS);
        let supplier = *rng.pick(category.suppliers);
        let price = rng.range(category.price_range.0, category.price_range.1) * 100 + 99;
        let cost = price * rng.range(35, 60) / 100;
        let policy = match rng.below(100) {
            0..=69 => BackorderPolicy::Allowed,
            70..=96 => BackorderPolicy::NotAllowed,
            _ => BackorderPolicy::Preorder,
        };
        let lead = SUPPLIERS[supplier].1 + rng.range(-2, 3);
        products.push(DemoProduct {
            data: ProductData {
                sku: format!("{}-{:05}", category.prefix, index + 1),
                name: format!("{adjective} {} {noun}", capitalise(colour)),
                category: category.name.into(),
                location: format!("{}{}-{}", category.aisle, rng.range(1, 24), rng.range(1, 5)),
                unit_cost_cents: cost,
                price_cents: price,
                supplier: SUPPLIERS[supplier].0.into(),
                lead_time_days: if rng.chance(3) {
                    None
                } else {
                    Some(lead.max(1))
                },
                backorder_policy: policy,
                max_wait_days: if rng.chance(20) { 30 } else { 14 },
                reorder_point: 0,
                track_stock: true,
                sale_price_cents: None,
            },
            supplier,
            stockout_prone: policy == BackorderPolicy::Allowed && rng.chance(12),
        });
    }
    products
}

/// Pareto demand: rank 1 sells the most. Picks a product by its weight.
struct DemandPicker {
    cumulative: Vec<f64>,
    total_weight: f64,
}

impl DemandPicker {
    fn new(product_count: usize, rng: &mut Rng) -> Self {
        let weights: Vec<f64> = {
            let mut ranks: Vec<usize> = (0..product_count).collect();
            for i in (1..ranks.len()).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                ranks.swap(i, j);
            }
            ranks
                .iter()
                .map(|&rank| 1.0 / (rank as f64 + 1.0).powf(1.1))
                .collect()
        };
        let cumulative: Vec<f64> = weights
            .iter()
            .scan(0.0, |sum, w| {
                *sum += w;
                Some(*sum)
            })
            .collect();
        let total_weight = cumulative.last().copied().unwrap_or(1.0);
        Self {
            cumulative,
            total_weight,
        }
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let target = rng.unit() * self.total_weight;
        self.cumulative
            .partition_point(|&c| c < target)
            .min(self.cumulative.len() - 1)
    }
}

/// Customers with names from many countries and addresses at example.com.
fn make_customers(spec: DemoSpec) -> Vec<(String, String)> {
    let customer_count = (spec.order_lines / 4).clamp(20, 50_000);
    (0..customer_count)
        .map(|index| {
            let (first, first_ascii) = FIRST_NAMES[index % FIRST_NAMES.len()];
            let (last, last_ascii) = LAST_NAMES[(index / FIRST_NAMES.len()) % LAST_NAMES.len()];
            let round = index / (FIRST_NAMES.len() * LAST_NAMES.len());
            let suffix = if round == 0 {
                String::new()
            } else {
                round.to_string()
            };
            (
                format!("{first} {last}"),
                format!("{first_ascii}.{last_ascii}{suffix}@example.com"),
            )
        })
        .collect()
}

/// Orders through the year, oldest first; a little growth towards today.
fn make_orders(
    spec: DemoSpec,
    products: &[DemoProduct],
    picker: &DemandPicker,
    customer_count: usize,
    today: NaiveDate,
    rng: &mut Rng,
) -> Vec<DemoOrder> {
    let start = history_start(today);
    let mut orders: Vec<DemoOrder> = Vec::new();
    let mut lines_made = 0usize;
    let estimated_orders = (spec.order_lines as f64 / 1.5).max(1.0);
    while lines_made < spec.order_lines {
        let position = orders.len() as f64 / estimated_orders;
        let fraction = position.min(1.0).sqrt();
        let minutes = (fraction * (HISTORY_DAYS * 24 * 60) as f64) as i64;
        let ordered_at = at_noon(start) - Duration::hours(12) + Duration::minutes(minutes);
        let ordered_at = ordered_at.min(at_noon(today) - Duration::hours(3));
        let age_days = (today - ordered_at.date()).num_days();
        let line_count = match rng.below(100) {
            0..=59 => 1,
            60..=87 => 2,
            _ => 3,
        }
        .min(spec.order_lines - lines_made);
        let cancelled_order = age_days > OPEN_DAYS && rng.chance(2);
        let mut lines: Vec<DemoLine> = Vec::with_capacity(line_count);
        for _ in 0..line_count {
            let product = picker.pick(rng);
            if lines.iter().any(|line| line.product == product) {
                continue;
            }
            let quantity = match rng.below(100) {
                0..=69 => 1,
                70..=89 => 2,
                _ => rng.range(3, 5),
            };
            let item = &products[product];
            let open = !cancelled_order
                && (age_days <= OPEN_DAYS
                    || (item.stockout_prone && age_days <= WAITING_DAYS)
                    || (item.data.backorder_policy == BackorderPolicy::Preorder && age_days <= 45));
            let backordered_at_order = if item.data.backorder_policy == BackorderPolicy::NotAllowed
            {
                0
            } else if (item.stockout_prone && rng.chance(45)) || rng.chance(2) {
                quantity
            } else {
                0
            };
            let shipped_at = if open || cancelled_order {
                None
            } else {
                let wait = if backordered_at_order > 0 {
                    item.data.lead_time_days.unwrap_or(14) + rng.range(0, 6)
                } else {
                    rng.range(0, 2)
                };
                Some((ordered_at + Duration::days(wait) + Duration::hours(4)).min(at_noon(today)))
            };
            lines.push(DemoLine {
                product,
                quantity,
                unit_price_cents: item.data.price_cents,
                backordered_at_order,
                open,
                cancelled: cancelled_order,
                shipped_at,
                reserved: 0,
            });
        }
        lines_made += line_count;
        orders.push(DemoOrder {
            number: format!("SO-{:06}", orders.len() + 1001),
            customer: rng.below(customer_count as u64) as usize,
            ordered_at,
            high_priority: rng.chance(3),
            ship_complete: rng.chance(10),
            lines,
        });
    }
    orders
}

/// Per product: units ordered, shipped and still open over the history, and stock on hand today.
struct StockFigures {
    shipped_units: Vec<i64>,
    open_units: Vec<i64>,
    ordered_units: Vec<i64>,
    on_hand_today: Vec<i64>,
}

/// What the history leaves on the shelf today; sets each product's reorder point from its demand.
fn stock_today(products: &mut [DemoProduct], orders: &[DemoOrder], rng: &mut Rng) -> StockFigures {
    let mut shipped_units = vec![0i64; products.len()];
    let mut open_units = vec![0i64; products.len()];
    let mut ordered_units = vec![0i64; products.len()];
    for order in orders {
        for line in &order.lines {
            ordered_units[line.product] += line.quantity;
            if line.shipped_at.is_some() {
                shipped_units[line.product] += line.quantity;
            }
            if line.open {
                open_units[line.product] += line.quantity;
            }
        }
    }
    let mut on_hand_today = vec![0i64; products.len()];
    for (index, item) in products.iter_mut().enumerate() {
        let daily = ordered_units[index] as f64 / HISTORY_DAYS as f64;
        let lead = item.data.lead_time_days.unwrap_or(14) as f64;
        item.data.reorder_point = (daily * lead).ceil() as i64;
        on_hand_today[index] = match item.data.backorder_policy {
            BackorderPolicy::Preorder => 0,
            _ if item.stockout_prone => rng.range(0, 1) * open_units[index] / 3,
            BackorderPolicy::NotAllowed => {
                open_units[index] + (daily * rng.range(5, 40) as f64).ceil() as i64
            }
            BackorderPolicy::Allowed => {
                let weeks = if rng.chance(10) { 0 } else { rng.range(1, 8) };
                (daily * 7.0 * weeks as f64).ceil() as i64 + rng.range(0, 6)
            }
        };
    }

    StockFigures {
        shipped_units,
        open_units,
        ordered_units,
        on_hand_today,
    }
}

/// Reserves today's stock for open lines, oldest first, through the allocation rule. Returns the
/// lines left waiting.
fn reserve_stock(orders: &mut [DemoOrder], on_hand_today: &[i64]) -> usize {
    let mut waiting_by_product: HashMap<usize, Vec<WaitingLine>> = HashMap::new();
    for (order_index, order) in orders.iter().enumerate() {
        for (line_index, line) in order.lines.iter().enumerate() {
            if line.open {
                waiting_by_product
                    .entry(line.product)
                    .or_default()
                    .push(WaitingLine {
                        line_id: ((order_index as i64) << 8) | line_index as i64,
                        priority: if order.high_priority {
                            Priority::High
                        } else {
                            Priority::Normal
                        },
                        ordered_at: order.ordered_at,
                        order_number: order.number.clone(),
                        waiting: line.quantity,
                    });
            }
        }
    }
    let mut backordered_lines = 0;
    for (product, queue) in &waiting_by_product {
        let (grants, _) = allocate(on_hand_today[*product], queue);
        for grant in grants {
            let order_index = (grant.line_id >> 8) as usize;
            let line_index = (grant.line_id & 0xFF) as usize;
            orders[order_index].lines[line_index].reserved = grant.quantity;
        }
    }
    for order in orders.iter_mut() {
        for line in &mut order.lines {
            if line.open && line.reserved < line.quantity {
                backordered_lines += 1;
                line.backordered_at_order =
                    line.backordered_at_order.max(line.quantity - line.reserved);
            }
        }
    }
    backordered_lines
}

/// The ids the writer gave to suppliers, products and customers (by their index in memory).
struct DemoIds {
    suppliers: Vec<i64>,
    products: Vec<crate::store::ProductId>,
    customers: Vec<i64>,
}

/// Suppliers, products and customers.
fn write_catalog(
    writer: &BulkWriter<'_>,
    products: &[DemoProduct],
    customers: &[(String, String)],
    now_text: &str,
) -> Result<DemoIds, StoreError> {
    let mut supplier_ids = Vec::with_capacity(SUPPLIERS.len());
    for (name, lead, _) in SUPPLIERS {
        let email = format!(
            "orders@{}.example",
            name.to_lowercase().replace(['.', ' '], "")
        );
        supplier_ids.push(writer.supplier(name, &email, Some(lead))?);
    }
    let mut product_ids = Vec::with_capacity(products.len());
    for item in products {
        product_ids.push(writer.product(
            &item.data,
            Some(supplier_ids[item.supplier]),
            now_text,
        )?);
    }
    let customer_ids = customers
        .iter()
        .map(|(name, email)| writer.customer(name, email))
        .collect::<Result<Vec<_>, _>>()?;

    Ok(DemoIds {
        suppliers: supplier_ids,
        products: product_ids,
        customers: customer_ids,
    })
}

/// Purchase orders written so far and the units they brought in, per product.
struct Inbound {
    po_count: usize,
    received_units: Vec<i64>,
}

/// One purchase order a month per supplier for what sold, received.
fn write_received_pos(
    writer: &BulkWriter<'_>,
    products: &[DemoProduct],
    orders: &[DemoOrder],
    ids: &DemoIds,
    today: NaiveDate,
    rng: &mut Rng,
) -> Result<Inbound, StoreError> {
    let start = history_start(today);
    let supplier_ids = &ids.suppliers;
    let product_ids = &ids.products;
    let mut received_units = vec![0i64; products.len()];
    let mut po_count = 0usize;
    let mut monthly_demand: Vec<HashMap<usize, i64>> = vec![HashMap::new(); 13];
    for order in orders {
        let month = ((order.ordered_at.date() - start).num_days() / 30).clamp(0, 12) as usize;
        for line in &order.lines {
            *monthly_demand[month].entry(line.product).or_default() += line.quantity;
        }
    }
    for (month, demand) in monthly_demand.iter().enumerate().take(11) {
        let mut by_supplier: Vec<Vec<(usize, i64)>> = vec![Vec::new(); SUPPLIERS.len()];
        let mut sorted: Vec<(usize, i64)> = demand.iter().map(|(&p, &q)| (p, q)).collect();
        sorted.sort_unstable();
        for (product, quantity) in sorted {
            if products[product].data.backorder_policy != BackorderPolicy::Preorder {
                by_supplier[products[product].supplier].push((product, quantity));
            }
        }
        for (supplier, lines) in by_supplier.iter().enumerate() {
            if lines.is_empty() {
                continue;
            }
            let (_, lead, spread) = SUPPLIERS[supplier];
            let ordered = start + Duration::days(month as i64 * 30 + rng.range(0, 5));
            let expected = ordered + Duration::days(lead);
            let actual = expected + Duration::days(rng.range(-spread / 2, spread));
            if actual >= today {
                continue;
            }
            po_count += 1;
            let po_number = format!("PO-{po_count:05}");
            let po_id = writer.purchase_order(&NewPurchaseOrder {
                po_number: &po_number,
                supplier_id: supplier_ids[supplier],
                ordered_at: ordered,
                expected_at: Some(expected),
                confirmed: false,
                status: PoStatus::Received,
            })?;
            for &(product, quantity) in lines.iter().take(400) {
                let quantity = round_up_to_pack(quantity);
                let received = if rng.chance(5) {
                    quantity * 9 / 10
                } else {
                    quantity
                }
                .max(1);
                writer.po_line(&NewPoLine {
                    po_id,
                    product_id: product_ids[product],
                    quantity,
                    unit_cost_cents: products[product].data.unit_cost_cents,
                    received_qty: received,
                    received_at: Some(actual),
                })?;
                writer.movement(
                    product_ids[product],
                    MovementKind::Receipt,
                    received,
                    &po_number,
                    at_noon(actual) - Duration::hours(2),
                )?;
                received_units[product] += received;
            }
        }
    }
    Ok(Inbound {
        po_count,
        received_units,
    })
}

/// Open purchase orders: most stockout-prone and preorder products are covered, some are not;
/// the first one that covers waiting customers has slipped, one is partly received.
fn write_open_pos(
    writer: &BulkWriter<'_>,
    products: &[DemoProduct],
    figures: &StockFigures,
    ids: &DemoIds,
    today: NaiveDate,
    inbound: &mut Inbound,
    rng: &mut Rng,
) -> Result<(), StoreError> {
    let supplier_ids = &ids.suppliers;
    let product_ids = &ids.products;
    let open_units = &figures.open_units;
    let on_hand_today = &figures.on_hand_today;
    let ordered_units = &figures.ordered_units;
    let received_units = &mut inbound.received_units;
    let po_count = &mut inbound.po_count;
    let mut open_lines_by_supplier: Vec<Vec<(usize, i64)>> = vec![Vec::new(); SUPPLIERS.len()];
    for (index, item) in products.iter().enumerate() {
        let waiting = open_units[index] - on_hand_today[index].min(open_units[index]);
        let wants_po = match item.data.backorder_policy {
            BackorderPolicy::Preorder => true,
            _ if item.stockout_prone => !rng.chance(25),
            _ => rng.chance(8),
        };
        if wants_po {
            let quantity = round_up_to_pack(waiting + (ordered_units[index] / 12).max(6));
            open_lines_by_supplier[item.supplier].push((index, quantity));
        }
    }
    let mut slipped = false;
    let mut partly = false;
    for (supplier, lines) in open_lines_by_supplier.iter().enumerate() {
        for (chunk_index, chunk) in lines.chunks(300).enumerate() {
            let (_, lead, _) = SUPPLIERS[supplier];
            let ordered = today - Duration::days(rng.range(2, lead.max(3)));
            let first_expected = ordered + Duration::days(lead);
            let mut expected =
                first_expected.max(today + Duration::days(1 + chunk_index as i64 * 9));
            // The first PO that covers waiting customers slips by six days: the shop sees which
            // promises moved.
            let covers_waiting = chunk
                .iter()
                .any(|&(product, _)| open_units[product] > on_hand_today[product]);
            let slip_now = !slipped && covers_waiting;
            if slip_now {
                expected = expected.max(today + Duration::days(3)) + Duration::days(6);
            }
            *po_count += 1;
            let po_number = format!("PO-{:05}", *po_count);
            let make_partial = !partly && chunk.len() >= 2;
            let po_id = writer.purchase_order(&NewPurchaseOrder {
                po_number: &po_number,
                supplier_id: supplier_ids[supplier],
                ordered_at: ordered,
                expected_at: Some(expected),
                confirmed: supplier == 2,
                status: if make_partial {
                    PoStatus::PartlyReceived
                } else {
                    PoStatus::Open
                },
            })?;
            if slip_now {
                writer.po_date_change(
                    po_id,
                    today - Duration::days(2),
                    Some(expected - Duration::days(6)),
                    Some(expected),
                )?;
                slipped = true;
            }
            for (position, &(product, quantity)) in chunk.iter().enumerate() {
                let received = if make_partial && position == 0 {
                    quantity / 2
                } else {
                    0
                };
                writer.po_line(&NewPoLine {
                    po_id,
                    product_id: product_ids[product],
                    quantity,
                    unit_cost_cents: products[product].data.unit_cost_cents,
                    received_qty: received,
                    received_at: (received > 0).then_some(today - Duration::days(1)),
                })?;
                if received > 0 {
                    writer.movement(
                        product_ids[product],
                        MovementKind::Receipt,
                        received,
                        &po_number,
                        at_noon(today) - Duration::days(1),
                    )?;
                }
                received_units[product] += received;
            }
            partly |= make_partial;
        }
    }

    Ok(())
}

/// Orders and lines with their first promise windows; shipments in the ledger. Returns the
/// open orders.
fn write_orders(
    writer: &BulkWriter<'_>,
    products: &[DemoProduct],
    orders: &[DemoOrder],
    ids: &DemoIds,
    progress: &Progress,
) -> Result<usize, DemoError> {
    let customer_ids = &ids.customers;
    let product_ids = &ids.products;
    let mut open_orders = 0;
    let total_orders = orders.len().max(1);
    for (index, order) in orders.iter().enumerate() {
        let any_open = order.lines.iter().any(|line| line.open);
        let cancelled = order.lines.iter().all(|line| line.cancelled) && !order.lines.is_empty();
        let status = if any_open {
            open_orders += 1;
            OrderStatus::Open
        } else if cancelled {
            OrderStatus::Cancelled
        } else {
            OrderStatus::Shipped
        };
        let closed_at = match status {
            OrderStatus::Shipped => order.lines.iter().filter_map(|line| line.shipped_at).max(),
            OrderStatus::Cancelled => Some(order.ordered_at + Duration::hours(20)),
            OrderStatus::Open => None,
        };
        let order_id = writer.order(&NewOrder {
            order_number: &order.number,
            customer_id: customer_ids[order.customer],
            ordered_at: order.ordered_at,
            high_priority: order.high_priority,
            ship_complete: order.ship_complete,
            status,
            closed_at,
            batch_id: None,
        })?;
        for (line_no, line) in order.lines.iter().enumerate() {
            let shipped_qty = if line.shipped_at.is_some() {
                line.quantity
            } else {
                0
            };
            let line_id = writer.order_line(&NewOrderLine {
                order_id,
                line_no: line_no as i64 + 1,
                product_id: product_ids[line.product],
                quantity: line.quantity,
                unit_price_cents: line.unit_price_cents,
                reserved_qty: line.reserved,
                shipped_qty,
                cancelled_qty: if line.cancelled { line.quantity } else { 0 },
                backordered_at_order_qty: line.backordered_at_order,
                shipped_at: line.shipped_at,
            })?;
            if line.backordered_at_order > 0 && line.shipped_at.is_some() {
                // The window such a line was first given: its lead time + 1 handling day, with
                // 0–3 days for lateness (no record yet); it waited lead time + 0–6 days.
                let lead = products[line.product].data.lead_time_days.unwrap_or(14);
                let ordered_on = order.ordered_at.date();
                let start = ordered_on + Duration::days(lead + 1);
                writer.promise_history(
                    line_id,
                    EtaWindow {
                        start,
                        end: start + Duration::days(3),
                    },
                    ordered_on,
                )?;
            }
            if let Some(shipped_at) = line.shipped_at {
                writer.movement(
                    product_ids[line.product],
                    MovementKind::Shipment,
                    -line.quantity,
                    &format!("Order {}", order.number),
                    shipped_at,
                )?;
            }
        }
        if index % 4096 == 0 {
            progress.set(0.4 + 0.5 * index as f32 / total_orders as f32);
            if progress.is_cancelled() {
                return Err(DemoError::Cancelled);
            }
        }
    }

    Ok(open_orders)
}

/// Opening stock and stock counts, so that the ledger sums to today's on hand.
fn write_opening_stock(
    writer: &BulkWriter<'_>,
    figures: &StockFigures,
    inbound: &Inbound,
    ids: &DemoIds,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let opening_day = at_noon(history_start(today)) - Duration::days(1);
    let product_ids = &ids.products;
    let on_hand_today = &figures.on_hand_today;
    let shipped_units = &figures.shipped_units;
    let received_units = &inbound.received_units;
    for (index, &product_id) in product_ids.iter().enumerate() {
        let opening = on_hand_today[index] + shipped_units[index] - received_units[index];
        if opening != 0 {
            let (kind, reason, at) = if opening > 0 {
                (MovementKind::Import, "Opening stock (demo)", opening_day)
            } else {
                (
                    MovementKind::Adjustment,
                    "Stock count",
                    at_noon(today) - Duration::hours(2),
                )
            };
            writer.movement(product_id, kind, opening, reason, at)?;
        }
    }
    Ok(())
}

/// Promises as they were two days ago, then the supplier's slip: the Orders screen has
/// "Promises changed" to show; then the Outbox.
fn stage_story(store: &mut Store, clock: Clock) -> Result<(), StoreError> {
    let today = clock.today();
    let slip_day = today - Duration::days(2);
    store.in_transaction(|tx| {
        if let Some((po_id, po_number, old, new)) = &first_po_date_change(tx)? {
            set_expected_text(tx, *po_id, old)?;
            recompute(tx, slip_day - Duration::days(1), "demo: first promises")?;
            // What the waiting customers were promised, so the slip tells them.
            super::notify::record_open_commitments(tx)?;
            set_expected_text(tx, *po_id, new)?;
            recompute(
                tx,
                slip_day,
                &format!("{po_number} moved from {old} to {new}"),
            )?;
        }
        recompute(tx, today, "demo loaded")?;
        demo_messages(tx, clock)?;
        Ok(())
    })?;
    Ok(())
}

/// Most demo drafts of one kind.
const DEMO_DRAFTS: usize = 8;

/// The Outbox of the demo: confirmations for the newest orders that wait (the older ones
/// already sent), "ready" messages for orders whose waiting lines got stock, and cancellation
/// confirmations; the slip drafted its delay notices already.
fn demo_messages(conn: &Connection, clock: Clock) -> Result<(), StoreError> {
    use super::notify::{draft_cancellation, draft_confirmation, draft_ready};
    use crate::store::demo::{
        cancelled_lines, newest_cancelled_orders, newest_ready_backordered_lines,
        newest_waiting_orders,
    };
    use crate::store::messages::{DraftOutcome, MessageStatus, set_status};

    let now = clock.now_text();
    for (index, order_id) in newest_waiting_orders(conn, 2 * DEMO_DRAFTS)?
        .into_iter()
        .enumerate()
    {
        let outcome = draft_confirmation(conn, order_id, &now)?;
        // The older half was sent already: the history has something to show.
        if index >= DEMO_DRAFTS
            && let Some(DraftOutcome::Added(id) | DraftOutcome::Replaced(id)) = outcome
        {
            set_status(conn, id, MessageStatus::Sent, &now)?;
        }
    }
    let allocated: Vec<crate::domain::allocation::Allocated> =
        newest_ready_backordered_lines(conn, DEMO_DRAFTS)?
            .into_iter()
            .map(|line_id| crate::domain::allocation::Allocated {
                line_id,
                order_number: String::new(),
                sku: String::new(),
                quantity: 1,
            })
            .collect();
    draft_ready(conn, &allocated, &now)?;
    for order_id in newest_cancelled_orders(conn, DEMO_DRAFTS / 2)? {
        let lines = cancelled_lines(conn, order_id)?;
        draft_cancellation(conn, order_id, &lines, &now)?;
    }
    Ok(())
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Suppliers sell in packs of 6.
fn round_up_to_pack(units: i64) -> i64 {
    (units.max(1) + 5) / 6 * 6
}
