//! ABC classes by revenue: A = the products that make the top 80% of revenue, B = the next
//! 15%, C = the rest (and every product without revenue).

/// A product's revenue class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AbcClass {
    A,
    B,
    C,
}

impl AbcClass {
    pub const ALL: [Self; 3] = [Self::A, Self::B, Self::C];

    pub fn label(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
        }
    }
}

/// Share of revenue (per cent) that class A covers.
pub const A_SHARE_PCT: i64 = 80;
/// Share of revenue (per cent) that classes A and B cover together.
pub const AB_SHARE_PCT: i64 = 95;

/// Classifies products by revenue (in cents). Products are ranked by revenue, highest first
/// (ties by key); a product is A while the revenue ranked *before* it is below 80% of the total,
/// B while it is below 95%, C after that. So the product that crosses a boundary belongs to the
/// higher class, and one product with all the revenue is A. Products with no revenue are C.
/// The result is in rank order.
pub fn classify<K: Ord + Clone>(revenue: &[(K, i64)]) -> Vec<(K, AbcClass)> {
    let mut ranked: Vec<&(K, i64)> = revenue.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total = positive_total(ranked.iter().map(|(_, cents)| *cents));
    let mut before: i128 = 0;
    ranked
        .into_iter()
        .map(|(key, cents)| {
            let class = class_of(before, *cents, total);
            before += i128::from((*cents).max(0));
            (key.clone(), class)
        })
        .collect()
}

/// Products and revenue (cents, negative counted as 0) per class, in the order of
/// [`AbcClass::ALL`], of revenues sorted from highest: what counting the result of [`classify`]
/// gives (which of two equal revenues ranks first does not change the counts), without keys.
pub fn class_totals(sorted_from_highest: &[i64]) -> [(usize, i64); 3] {
    let total = positive_total(sorted_from_highest.iter().copied());
    let mut totals = [(0, 0); 3];
    let mut before: i128 = 0;
    for cents in sorted_from_highest {
        let class = class_of(before, *cents, total);
        let slot = &mut totals[class as usize];
        slot.0 += 1;
        slot.1 += (*cents).max(0);
        before += i128::from((*cents).max(0));
    }
    totals
}

fn positive_total(revenue: impl Iterator<Item = i64>) -> i128 {
    revenue.map(|cents| i128::from(cents.max(0))).sum()
}

/// The class of a product with `cents` of revenue when `before` cents rank before it, of
/// `total` (positive revenue only).
fn class_of(before: i128, cents: i64, total: i128) -> AbcClass {
    if cents <= 0 || total == 0 {
        AbcClass::C
    } else if before * 100 < total * i128::from(A_SHARE_PCT) {
        AbcClass::A
    } else if before * 100 < total * i128::from(AB_SHARE_PCT) {
        AbcClass::B
    } else {
        AbcClass::C
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_by_cumulative_share() {
        // Total 1000: 500 (0% before) A, 250 (50%) A, 100 (75%) A, 60 (85%) B, 50 (91%) B,
        // 30 (96%) C, 10 (99%) C, 0 C.
        let revenue = [
            ("e", 50),
            ("a", 500),
            ("h", 0),
            ("c", 100),
            ("b", 250),
            ("d", 60),
            ("g", 10),
            ("f", 30),
        ];
        let classes = classify(&revenue);
        let got: Vec<(&str, AbcClass)> = classes.into_iter().collect();
        assert_eq!(
            got,
            vec![
                ("a", AbcClass::A),
                ("b", AbcClass::A),
                ("c", AbcClass::A),
                ("d", AbcClass::B),
                ("e", AbcClass::B),
                ("f", AbcClass::C),
                ("g", AbcClass::C),
                ("h", AbcClass::C),
            ]
        );
    }

    #[test]
    fn single_product_and_no_revenue() {
        assert_eq!(classify(&[(1, 999)]), vec![(1, AbcClass::A)]);
        assert_eq!(
            classify(&[(1, 0), (2, 0)]),
            vec![(1, AbcClass::C), (2, AbcClass::C)]
        );
        assert!(classify::<u8>(&[]).is_empty());
    }

    #[test]
    fn class_totals_count_what_classify_gives() {
        let revenue = [50, 500, 0, 100, 250, 60, 10, 30, -5, 250, 0];
        let keyed: Vec<(usize, i64)> = revenue.iter().copied().enumerate().collect();
        let mut expected = [(0, 0); 3];
        for (key, class) in classify(&keyed) {
            let slot = &mut expected[class as usize];
            slot.0 += 1;
            slot.1 += revenue[key].max(0);
        }
        let mut sorted = revenue.to_vec();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(class_totals(&sorted), expected);
        // By hand: total 1250. A while the revenue before is below 1000: 500, 250, 250 (before
        // 0, 500, 750). B while below 1187.5: 100, 60, 50 (before 1000, 1100, 1160). C: 30
        // (before 1210), 10, 0, 0, -5.
        assert_eq!(expected, [(3, 1000), (3, 210), (5, 40)]);
        assert_eq!(class_totals(&[]), [(0, 0); 3]);
        assert_eq!(class_totals(&[0, 0]), [(0, 0), (0, 0), (2, 0)]);
    }

    #[test]
    fn ties_rank_by_key() {
        // Four equal products: 0%, 25%, 50%, 75% before → all A.
        let classes = classify(&[(4, 10), (3, 10), (2, 10), (1, 10)]);
        assert_eq!(classes.first().map(|c| c.0), Some(1));
        assert!(classes.iter().all(|(_, class)| *class == AbcClass::A));
    }
}
