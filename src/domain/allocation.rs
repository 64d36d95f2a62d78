//! Allocation: which waiting order lines get stock, in which order.
//!
//! Waiting lines of one SKU form a queue: high priority first, then the oldest order, then the
//! order number. Units are handed out in that order; a line may be filled partly.

use std::cmp::Ordering;

use chrono::NaiveDateTime;

/// Order priority. Higher sorts first in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Priority {
    #[default]
    Normal,
    High,
}

impl Priority {
    pub fn code(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::High => "high",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "normal" | "" => Some(Self::Normal),
            "high" => Some(Self::High),
            _ => None,
        }
    }

    /// The integer stored in the database (0 normal, 1 high).
    pub fn rank(self) -> i64 {
        match self {
            Self::Normal => 0,
            Self::High => 1,
        }
    }

    pub fn from_rank(rank: i64) -> Self {
        if rank > 0 { Self::High } else { Self::Normal }
    }
}

/// An order line that still wants units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingLine {
    pub line_id: i64,
    pub priority: Priority,
    pub ordered_at: NaiveDateTime,
    pub order_number: String,
    /// Units still wanted (ordered − reserved − shipped − cancelled), > 0.
    pub waiting: i64,
}

/// Queue order: priority (high first), then order time (oldest first), then order number,
/// then line id so the order is total.
pub fn queue_cmp(a: &WaitingLine, b: &WaitingLine) -> Ordering {
    b.priority
        .cmp(&a.priority)
        .then(a.ordered_at.cmp(&b.ordered_at))
        .then_with(|| a.order_number.cmp(&b.order_number))
        .then(a.line_id.cmp(&b.line_id))
}

/// Sorts waiting lines into queue order.
pub fn sort_queue(lines: &mut [WaitingLine]) {
    lines.sort_by(queue_cmp);
}

/// Units a re-allocation gave to (or took back from) one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocated {
    pub line_id: i64,
    pub order_number: String,
    pub sku: String,
    /// Positive: reserved now; negative: released (stock went below what was reserved).
    pub quantity: i64,
}

/// One grant of units to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub line_id: i64,
    pub quantity: i64,
}

/// Hands `free_units` out to the queue in queue order. Returns the grants (only lines that got
/// something) and the units left over. Lines are sorted here, so any order may be passed.
pub fn allocate(free_units: i64, lines: &[WaitingLine]) -> (Vec<Grant>, i64) {
    let mut queue: Vec<&WaitingLine> = lines.iter().filter(|line| line.waiting > 0).collect();
    queue.sort_by(|a, b| queue_cmp(a, b));
    let mut left = free_units.max(0);
    let mut grants = Vec::new();
    for line in queue {
        if left == 0 {
            break;
        }
        let quantity = line.waiting.min(left);
        left -= quantity;
        grants.push(Grant {
            line_id: line.line_id,
            quantity,
        });
    }
    (grants, left)
}

/// Grants for a product whose stock is not tracked: every waiting line gets all it waits for
/// (nothing is counted, so nothing can run out).
pub fn allocate_untracked(lines: &[WaitingLine]) -> Vec<Grant> {
    let mut queue: Vec<&WaitingLine> = lines.iter().filter(|line| line.waiting > 0).collect();
    queue.sort_by(|a, b| queue_cmp(a, b));
    queue
        .into_iter()
        .map(|line| Grant {
            line_id: line.line_id,
            quantity: line.waiting,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("valid date")
    }

    fn line(line_id: i64, priority: Priority, day: u32, number: &str, waiting: i64) -> WaitingLine {
        WaitingLine {
            line_id,
            priority,
            ordered_at: at(day, 9),
            order_number: number.into(),
            waiting,
        }
    }

    #[test]
    fn oldest_first_and_partial_fill() {
        let lines = [
            line(2, Priority::Normal, 5, "1002", 4),
            line(1, Priority::Normal, 4, "1001", 3),
        ];
        let (grants, left) = allocate(5, &lines);
        assert_eq!(
            grants,
            vec![
                Grant {
                    line_id: 1,
                    quantity: 3
                },
                Grant {
                    line_id: 2,
                    quantity: 2
                }
            ]
        );
        assert_eq!(left, 0);
    }

    #[test]
    fn high_priority_jumps_the_queue() {
        let lines = [
            line(1, Priority::Normal, 1, "1001", 2),
            line(2, Priority::High, 9, "1009", 2),
        ];
        let (grants, left) = allocate(3, &lines);
        assert_eq!(
            grants[0],
            Grant {
                line_id: 2,
                quantity: 2
            }
        );
        assert_eq!(
            grants[1],
            Grant {
                line_id: 1,
                quantity: 1
            }
        );
        assert_eq!(left, 0);
    }

    #[test]
    fn same_time_breaks_ties_by_order_number() {
        let lines = [
            line(7, Priority::Normal, 3, "B-2", 1),
            line(8, Priority::Normal, 3, "B-1", 1),
        ];
        let (grants, _) = allocate(1, &lines);
        assert_eq!(
            grants,
            vec![Grant {
                line_id: 8,
                quantity: 1
            }]
        );
    }

    #[test]
    fn leftover_and_nothing_to_give() {
        let lines = [line(1, Priority::Normal, 1, "1", 2)];
        assert_eq!(
            allocate(5, &lines),
            (
                vec![Grant {
                    line_id: 1,
                    quantity: 2
                }],
                3
            )
        );
        assert_eq!(allocate(0, &lines), (vec![], 0));
        assert_eq!(allocate(-3, &lines), (vec![], 0));
    }

    fn arb_lines() -> impl Strategy<Value = Vec<WaitingLine>> {
        prop::collection::vec((any::<bool>(), 1u32..28, 0u32..24, 1i64..20), 0..30).prop_map(
            |specs| {
                specs
                    .into_iter()
                    .enumerate()
                    .map(|(index, (high, day, hour, waiting))| WaitingLine {
                        line_id: index as i64 + 1,
                        priority: if high {
                            Priority::High
                        } else {
                            Priority::Normal
                        },
                        ordered_at: at(day, hour),
                        order_number: format!("{index:05}"),
                        waiting,
                    })
                    .collect()
            },
        )
    }

    proptest! {
        #[test]
        fn never_gives_more_than_free_and_conserves_units(free in 0i64..200, lines in arb_lines()) {
            let (grants, left) = allocate(free, &lines);
            let given: i64 = grants.iter().map(|g| g.quantity).sum();
            prop_assert!(given <= free);
            prop_assert_eq!(given + left, free);
            for grant in &grants {
                let wanted = lines.iter().find(|l| l.line_id == grant.line_id).map(|l| l.waiting);
                prop_assert!(grant.quantity > 0);
                prop_assert!(Some(grant.quantity) <= wanted);
            }
            // Left over only when every line is full.
            let wanted_total: i64 = lines.iter().map(|l| l.waiting).sum();
            if left > 0 {
                prop_assert_eq!(given, wanted_total);
            }
        }

        #[test]
        fn a_later_line_never_gets_stock_while_an_earlier_one_waits(free in 0i64..200, lines in arb_lines()) {
            let (grants, _) = allocate(free, &lines);
            let granted = |id: i64| grants.iter().find(|g| g.line_id == id).map_or(0, |g| g.quantity);
            let mut queue = lines.clone();
            sort_queue(&mut queue);
            for (index, earlier) in queue.iter().enumerate() {
                let still_waits = granted(earlier.line_id) < earlier.waiting;
                if still_waits {
                    for later in &queue[index + 1..] {
                        prop_assert_eq!(granted(later.line_id), 0);
                    }
                }
            }
        }
    }
}
