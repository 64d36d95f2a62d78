//! The backorder policy advisor: allow backorders only where replenishment is reliable and short.
//!
//! For each product, its supplier's receipts (on-time per cent, lead-time mean and standard
//! deviation, from [`super::kpi::lead_time_stats`]) are compared with the shop's thresholds:
//! - too little history (fewer receipts than the minimum, or none with an expected date): no
//!   suggestion;
//! - unreliable (on time below the minimum, or lead time varying more than the maximum
//!   spread): **stop backorders**;
//! - reliable but slow (mean lead time above the maximum): **preorder** (take the order with an
//!   honest, distant date);
//! - reliable and short: **allow**.

use super::BackorderPolicy;
use super::kpi::LeadTimeStats;

/// What the advisor compares a supplier with (settings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// On-time receipts at least this per cent (default 80).
    pub min_on_time_pct: f64,
    /// Lead-time standard deviation at most this many days (default 5).
    pub max_lead_sd_days: f64,
    /// Mean lead time at most this many days for plain backorders (default 30).
    pub max_lead_days: f64,
    /// Receipts needed before judging (default 3).
    pub min_receipts: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            min_on_time_pct: 80.0,
            max_lead_sd_days: 5.0,
            max_lead_days: 30.0,
            min_receipts: 3,
        }
    }
}

/// The advice for one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// The policy to use; `None` when there is not enough history to judge.
    pub suggestion: Option<BackorderPolicy>,
    /// Why, in a sentence for the shop owner.
    pub reason: String,
}

impl Advice {
    /// True when the suggestion differs from `current` (there is something to apply).
    pub fn changes(&self, current: BackorderPolicy) -> bool {
        self.suggestion.is_some_and(|policy| policy != current)
    }
}

/// The label of a suggestion: "Allow", "Preorder", "Stop backorders".
pub fn suggestion_label(policy: BackorderPolicy) -> &'static str {
    match policy {
        BackorderPolicy::Allowed => "Allow",
        BackorderPolicy::Preorder => "Preorder",
        BackorderPolicy::NotAllowed => "Stop backorders",
    }
}

fn days(value: f64) -> String {
    format!("{value:.1}")
}

fn pct(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}%")
    } else {
        format!("{value:.1}%")
    }
}

/// Advice from a supplier's lead-time figures (`None`: the product has no supplier or the
/// supplier no receipts).
pub fn advise(stats: Option<&LeadTimeStats>, thresholds: &Thresholds) -> Advice {
    let none = |reason: String| Advice {
        suggestion: None,
        reason,
    };
    let Some(stats) = stats else {
        return none("No receipts from a supplier yet: too little history to judge".to_owned());
    };
    if stats.receipts < thresholds.min_receipts {
        return none(format!(
            "Only {} receipt(s) from the supplier (at least {} needed to judge)",
            stats.receipts, thresholds.min_receipts
        ));
    }
    let Some(on_time) = stats.on_time_pct else {
        return none("No receipt had an expected date, so on-time delivery is unknown".to_owned());
    };
    let late = on_time < thresholds.min_on_time_pct;
    let erratic = stats.sd_days > thresholds.max_lead_sd_days;
    if late || erratic {
        let mut problems = Vec::new();
        if late {
            problems.push(format!(
                "on time only {} (below {})",
                pct(on_time),
                pct(thresholds.min_on_time_pct)
            ));
        }
        if erratic {
            problems.push(format!(
                "lead time varies ±{} days (more than ±{})",
                days(stats.sd_days),
                days(thresholds.max_lead_sd_days)
            ));
        }
        return Advice {
            suggestion: Some(BackorderPolicy::NotAllowed),
            reason: format!(
                "Unreliable supplier: {}; promises would slip",
                problems.join(" and ")
            ),
        };
    }
    if stats.mean_days > thresholds.max_lead_days {
        return Advice {
            suggestion: Some(BackorderPolicy::Preorder),
            reason: format!(
                "Reliable (on time {}, ±{} days) but slow: {} days lead time (more than {}); take preorders with a clear date",
                pct(on_time),
                days(stats.sd_days),
                days(stats.mean_days),
                days(thresholds.max_lead_days)
            ),
        };
    }
    Advice {
        suggestion: Some(BackorderPolicy::Allowed),
        reason: format!(
            "Reliable and short: on time {}, ±{} days, {} days lead time",
            pct(on_time),
            days(stats.sd_days),
            days(stats.mean_days)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(receipts: usize, mean: f64, sd: f64, on_time: Option<f64>) -> LeadTimeStats {
        LeadTimeStats {
            receipts,
            mean_days: mean,
            sd_days: sd,
            on_time_pct: on_time,
            spread: [mean; 5],
        }
    }

    #[test]
    fn thresholds_decide_allow_preorder_or_stop() {
        let t = Thresholds::default();
        let allow = advise(Some(&stats(5, 12.0, 1.5, Some(95.0))), &t);
        assert_eq!(allow.suggestion, Some(BackorderPolicy::Allowed));
        assert_eq!(
            allow.reason,
            "Reliable and short: on time 95%, ±1.5 days, 12.0 days lead time"
        );
        // Exactly at the thresholds still counts as reliable and short.
        let edge = advise(Some(&stats(3, 30.0, 5.0, Some(80.0))), &t);
        assert_eq!(edge.suggestion, Some(BackorderPolicy::Allowed));
        // Just below the on-time minimum: stop.
        let late = advise(Some(&stats(5, 12.0, 1.0, Some(79.9))), &t);
        assert_eq!(late.suggestion, Some(BackorderPolicy::NotAllowed));
        assert!(
            late.reason.contains("on time only 79.9% (below 80%)"),
            "{}",
            late.reason
        );
        // Just above the spread maximum: stop.
        let erratic = advise(Some(&stats(5, 12.0, 5.1, Some(100.0))), &t);
        assert_eq!(erratic.suggestion, Some(BackorderPolicy::NotAllowed));
        assert!(erratic.reason.contains("varies ±5.1 days (more than ±5.0)"));
        // Reliable but a long lead time: preorder.
        let slow = advise(Some(&stats(4, 45.0, 2.0, Some(90.0))), &t);
        assert_eq!(slow.suggestion, Some(BackorderPolicy::Preorder));
        assert!(slow.reason.contains("45.0 days lead time (more than 30.0)"));
        // Both late and slow: stop wins.
        let both = advise(Some(&stats(4, 45.0, 9.0, Some(50.0))), &t);
        assert_eq!(both.suggestion, Some(BackorderPolicy::NotAllowed));
        assert!(both.reason.contains(" and "));
    }

    #[test]
    fn too_little_history_gives_no_suggestion() {
        let t = Thresholds::default();
        assert_eq!(advise(None, &t).suggestion, None);
        let two = advise(Some(&stats(2, 10.0, 0.0, Some(100.0))), &t);
        assert_eq!(two.suggestion, None);
        assert!(two.reason.contains("Only 2 receipt(s)"));
        let undated = advise(Some(&stats(6, 10.0, 1.0, None)), &t);
        assert_eq!(undated.suggestion, None);
        // Custom thresholds change the verdict.
        let strict = Thresholds {
            min_on_time_pct: 99.0,
            ..Thresholds::default()
        };
        assert_eq!(
            advise(Some(&stats(5, 12.0, 1.5, Some(95.0))), &strict).suggestion,
            Some(BackorderPolicy::NotAllowed)
        );
    }

    #[test]
    fn changes_only_when_different() {
        let advice = Advice {
            suggestion: Some(BackorderPolicy::Preorder),
            reason: String::new(),
        };
        assert!(advice.changes(BackorderPolicy::Allowed));
        assert!(!advice.changes(BackorderPolicy::Preorder));
        assert_eq!(
            suggestion_label(BackorderPolicy::NotAllowed),
            "Stop backorders"
        );
    }
}
