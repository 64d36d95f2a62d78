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
    let total: i128 = ranked
        .iter()
        .map(|(_, cents)| i128::from((*cents).max(0)))
        .sum();
    let mut before: i128 = 0;
    ranked
        .into_iter()
        .map(|(key, cents)| {
            let class = if *cents <= 0 || total == 0 {
                AbcClass::C
            } else if before * 100 < total * i128::from(A_SHARE_PCT) {
                AbcClass::A
            } else if before * 100 < total * i128::from(AB_SHARE_PCT) {
                AbcClass::B
            } else {
                AbcClass::C
            };
            before += i128::from((*cents).max(0));
            (key.clone(), class)
        })
        .collect()
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
    fn ties_rank_by_key() {
        // Four equal products: 0%, 25%, 50%, 75% before → all A.
        let classes = classify(&[(4, 10), (3, 10), (2, 10), (1, 10)]);
        assert_eq!(classes.first().map(|c| c.0), Some(1));
        assert!(classes.iter().all(|(_, class)| *class == AbcClass::A));
    }
}
