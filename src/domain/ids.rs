//! Identifiers of the shop's records. The store hands them out; the rules only compare and
//! carry them, so a product id cannot be passed where an order id is meant.

/// Identifies a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductId(pub i64);

/// Identifies a customer order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrderId(pub i64);

/// Identifies a purchase order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PoId(pub i64);
