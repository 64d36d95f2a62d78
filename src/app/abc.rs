//! ABC classes of the catalog by 12-month revenue.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};

use crate::domain::abc::{AbcClass, classify};
use crate::store::{ProductId, Result, Store};

/// Each active product's class by the revenue of the 12 months up to and including `today`.
pub fn abc_classes(store: &Store, today: NaiveDate) -> Result<HashMap<ProductId, AbcClass>> {
    let from = today
        .checked_sub_months(Months::new(12))
        .and_then(|day| day.succ_opt())
        .unwrap_or(today);
    let revenue = store.revenue_by_product(from, today)?;
    Ok(classify(&revenue).into_iter().collect())
}
