//! Safety stock, reorder point, economic order quantity and order-up-to suggestions.
//!
//! Symbols used in formulas and messages: `d` average daily demand (units/day), `σd` its
//! standard deviation, `L` average lead time (days), `σL` its standard deviation, `dmax` the
//! largest daily demand, `Lmax` the longest lead time, `Z` the service factor.

use std::fmt;

/// How a safety stock is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// SS = base buffer + σd × L.
    RuleOfThumb,
    /// SS = Z × σd × √L.
    Demand,
    /// SS = Z × √(L × σd² + d² × σL²).
    DemandLeadTime,
    /// SS = dmax × Lmax − d × L.
    MaxAverage,
    /// SS = d × cover days.
    DaysOfCover,
}

impl Method {
    pub const ALL: [Self; 5] = [
        Self::RuleOfThumb,
        Self::Demand,
        Self::DemandLeadTime,
        Self::MaxAverage,
        Self::DaysOfCover,
    ];

    /// The name on the command line and in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::RuleOfThumb => "rule-of-thumb",
            Self::Demand => "demand",
            Self::DemandLeadTime => "demand-lead-time",
            Self::MaxAverage => "max-average",
            Self::DaysOfCover => "days",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|method| method.code().eq_ignore_ascii_case(code))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::RuleOfThumb => "Rule of thumb",
            Self::Demand => "Demand variability",
            Self::DemandLeadTime => "Demand and lead-time variability",
            Self::MaxAverage => "Max–average",
            Self::DaysOfCover => "Days of cover",
        }
    }

    /// The formula written out.
    pub fn formula(self) -> &'static str {
        match self {
            Self::RuleOfThumb => "SS = base buffer + σd × L",
            Self::Demand => "SS = Z × σd × √L",
            Self::DemandLeadTime => "SS = Z × √(L × σd² + d² × σL²)",
            Self::MaxAverage => "SS = dmax × Lmax − d × L",
            Self::DaysOfCover => "SS = d × cover days",
        }
    }

    /// The inputs the safety stock needs (the reorder point also needs `d` and `L`).
    pub fn needs(self) -> &'static [Input] {
        match self {
            Self::RuleOfThumb => &[Input::SdDemand, Input::LeadTime],
            Self::Demand => &[Input::Z, Input::SdDemand, Input::LeadTime],
            Self::DemandLeadTime => &[
                Input::Z,
                Input::AvgDemand,
                Input::SdDemand,
                Input::LeadTime,
                Input::SdLeadTime,
            ],
            Self::MaxAverage => &[
                Input::MaxDemand,
                Input::MaxLeadTime,
                Input::AvgDemand,
                Input::LeadTime,
            ],
            Self::DaysOfCover => &[Input::AvgDemand, Input::CoverDays],
        }
    }

    /// The assumption that sets this method apart.
    pub fn assumption(self) -> &'static str {
        match self {
            Self::RuleOfThumb => {
                "it uses no service level and lets the buffer grow with L instead of √L"
            }
            Self::Demand => "it treats the lead time as fixed (σL is ignored)",
            Self::DemandLeadTime => {
                "it adds lead-time variation to demand variation, both independent and normal"
            }
            Self::MaxAverage => "it assumes the busiest day and the slowest delivery coincide",
            Self::DaysOfCover => "it ignores variation: a fixed number of days of average demand",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One input of the calculator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    AvgDemand,
    SdDemand,
    LeadTime,
    SdLeadTime,
    MaxDemand,
    MaxLeadTime,
    Z,
    BaseBuffer,
    CoverDays,
}

impl Input {
    pub const ALL: [Self; 9] = [
        Self::AvgDemand,
        Self::SdDemand,
        Self::LeadTime,
        Self::SdLeadTime,
        Self::MaxDemand,
        Self::MaxLeadTime,
        Self::Z,
        Self::BaseBuffer,
        Self::CoverDays,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::AvgDemand => "Average daily demand",
            Self::SdDemand => "Daily demand std. deviation",
            Self::LeadTime => "Average lead time (days)",
            Self::SdLeadTime => "Lead time std. deviation (days)",
            Self::MaxDemand => "Max daily demand",
            Self::MaxLeadTime => "Max lead time (days)",
            Self::Z => "Z (service factor)",
            Self::BaseBuffer => "Base buffer (units)",
            Self::CoverDays => "Cover days",
        }
    }

    /// The symbol in the formulas.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::AvgDemand => "d",
            Self::SdDemand => "σd",
            Self::LeadTime => "L",
            Self::SdLeadTime => "σL",
            Self::MaxDemand => "dmax",
            Self::MaxLeadTime => "Lmax",
            Self::Z => "Z",
            Self::BaseBuffer => "base buffer",
            Self::CoverDays => "cover days",
        }
    }

    /// The command-line flag that sets it.
    pub fn flag(self) -> &'static str {
        match self {
            Self::AvgDemand => "--avg-demand",
            Self::SdDemand => "--sd-demand",
            Self::LeadTime => "--lead-time",
            Self::SdLeadTime => "--sd-lead-time",
            Self::MaxDemand => "--max-demand",
            Self::MaxLeadTime => "--max-lead-time",
            Self::Z => "--service-level or --z",
            Self::BaseBuffer => "--base-buffer",
            Self::CoverDays => "--cover-days",
        }
    }
}

/// What the calculator knows. `None` is a missing input.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Inputs {
    pub avg_demand: Option<f64>,
    pub sd_demand: Option<f64>,
    pub lead_time: Option<f64>,
    pub sd_lead_time: Option<f64>,
    pub max_demand: Option<f64>,
    pub max_lead_time: Option<f64>,
    pub z: Option<f64>,
    /// Missing counts as 0.
    pub base_buffer: Option<f64>,
    pub cover_days: Option<f64>,
}

impl Inputs {
    pub fn get(&self, input: Input) -> Option<f64> {
        match input {
            Input::AvgDemand => self.avg_demand,
            Input::SdDemand => self.sd_demand,
            Input::LeadTime => self.lead_time,
            Input::SdLeadTime => self.sd_lead_time,
            Input::MaxDemand => self.max_demand,
            Input::MaxLeadTime => self.max_lead_time,
            Input::Z => self.z,
            Input::BaseBuffer => self.base_buffer,
            Input::CoverDays => self.cover_days,
        }
    }

    pub fn set(&mut self, input: Input, value: Option<f64>) {
        let slot = match input {
            Input::AvgDemand => &mut self.avg_demand,
            Input::SdDemand => &mut self.sd_demand,
            Input::LeadTime => &mut self.lead_time,
            Input::SdLeadTime => &mut self.sd_lead_time,
            Input::MaxDemand => &mut self.max_demand,
            Input::MaxLeadTime => &mut self.max_lead_time,
            Input::Z => &mut self.z,
            Input::BaseBuffer => &mut self.base_buffer,
            Input::CoverDays => &mut self.cover_days,
        };
        *slot = value;
    }

    /// Every given input is a finite number, not negative, and a maximum is not below its
    /// average.
    pub fn check(&self) -> Result<(), SafetyError> {
        for input in Input::ALL {
            if let Some(value) = self.get(input)
                && (!value.is_finite() || value < 0.0)
            {
                return Err(SafetyError::Invalid {
                    input,
                    message: format!(
                        "{} must be a number, 0 or more (got {value})",
                        input.label()
                    ),
                });
            }
        }
        for (max, avg) in [
            (Input::MaxDemand, Input::AvgDemand),
            (Input::MaxLeadTime, Input::LeadTime),
        ] {
            if let (Some(high), Some(mean)) = (self.get(max), self.get(avg))
                && high < mean
            {
                return Err(SafetyError::Invalid {
                    input: max,
                    message: format!(
                        "{} ({}) is below {} ({})",
                        max.label(),
                        show(high),
                        avg.label().to_lowercase(),
                        show(mean)
                    ),
                });
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SafetyError {
    /// The method (or its reorder point) needs inputs that were not given.
    #[error("{} needs: {}", .method.label(), .inputs.iter().map(|i| i.label()).collect::<Vec<_>>().join(", "))]
    Missing { method: Method, inputs: Vec<Input> },
    #[error("{message}")]
    Invalid { input: Input, message: String },
    #[error("service level must be at least 0.5 and below 1 (e.g. 0.95), not {0}")]
    ServiceLevel(f64),
}

/// One method's answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SafetyResult {
    pub method: Method,
    /// The Z used (methods that take one).
    pub z: Option<f64>,
    /// Exact, not rounded.
    pub safety_stock: f64,
    /// d × L + SS, exact.
    pub reorder_point: f64,
}

impl SafetyResult {
    /// The safety stock rounded up to whole units (never below 0).
    pub fn safety_stock_units(&self) -> i64 {
        round_up_units(self.safety_stock)
    }

    /// The reorder point rounded up to whole units (never below 0).
    pub fn reorder_point_units(&self) -> i64 {
        round_up_units(self.reorder_point)
    }
}

/// Rounds up to whole units; a value within 1e-9 of a whole number counts as that number (so
/// 20.000000000000004 from floating point stays 20). Negative values give 0.
pub fn round_up_units(value: f64) -> i64 {
    if !value.is_finite() || value <= 0.0 {
        return 0;
    }
    (value - 1e-9).ceil().max(0.0) as i64
}

/// Reorder point = d × L + SS.
pub fn reorder_point(avg_demand: f64, lead_time: f64, safety_stock: f64) -> f64 {
    avg_demand * lead_time + safety_stock
}

/// The safety stock and reorder point by one method. Missing inputs (including `d` and `L` for
/// the reorder point) are all named in the error.
pub fn safety_stock(method: Method, inputs: &Inputs) -> Result<SafetyResult, SafetyError> {
    inputs.check()?;
    let mut missing: Vec<Input> = method
        .needs()
        .iter()
        .copied()
        .chain([Input::AvgDemand, Input::LeadTime])
        .filter(|input| inputs.get(*input).is_none())
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if !missing.is_empty() {
        return Err(SafetyError::Missing {
            method,
            inputs: missing,
        });
    }
    let value = |input: Input| inputs.get(input).unwrap_or(0.0);
    let d = value(Input::AvgDemand);
    let l = value(Input::LeadTime);
    let sd = value(Input::SdDemand);
    let z = value(Input::Z);
    let (safety_stock, z_used) = match method {
        Method::RuleOfThumb => (value(Input::BaseBuffer) + sd * l, None),
        Method::Demand => (z * sd * l.sqrt(), Some(z)),
        Method::DemandLeadTime => {
            let sl = value(Input::SdLeadTime);
            (z * (l * sd * sd + d * d * sl * sl).sqrt(), Some(z))
        }
        Method::MaxAverage => (
            value(Input::MaxDemand) * value(Input::MaxLeadTime) - d * l,
            None,
        ),
        Method::DaysOfCover => (d * value(Input::CoverDays), None),
    };
    Ok(SafetyResult {
        method,
        z: z_used,
        safety_stock,
        reorder_point: reorder_point(d, l, safety_stock),
    })
}

/// The formula with each input's value put in: "1.65 × 5 × √4 = 16.50".
pub fn worked(method: Method, inputs: &Inputs, safety_stock: f64) -> String {
    let v = |input: Input| inputs.get(input).map_or_else(|| "?".to_owned(), show);
    let body = match method {
        Method::RuleOfThumb => format!(
            "{} + {} × {}",
            show(inputs.base_buffer.unwrap_or(0.0)),
            v(Input::SdDemand),
            v(Input::LeadTime)
        ),
        Method::Demand => format!(
            "{} × {} × √{}",
            v(Input::Z),
            v(Input::SdDemand),
            v(Input::LeadTime)
        ),
        Method::DemandLeadTime => format!(
            "{} × √({} × {}² + {}² × {}²)",
            v(Input::Z),
            v(Input::LeadTime),
            v(Input::SdDemand),
            v(Input::AvgDemand),
            v(Input::SdLeadTime)
        ),
        Method::MaxAverage => format!(
            "{} × {} − {} × {}",
            v(Input::MaxDemand),
            v(Input::MaxLeadTime),
            v(Input::AvgDemand),
            v(Input::LeadTime)
        ),
        Method::DaysOfCover => format!("{} × {}", v(Input::AvgDemand), v(Input::CoverDays)),
    };
    format!("{body} = {safety_stock:.2}")
}

/// A number as typed: up to 4 decimals, trailing zeros dropped ("1.65", "4", "0.3333").
pub fn show(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Z for a service level `p` (0.5 ≤ p < 1) by the exact inverse normal CDF.
pub fn z_for_service_level(p: f64) -> Result<f64, SafetyError> {
    if p.is_finite() && (0.5..1.0).contains(&p) {
        Ok(inverse_normal_cdf(p))
    } else {
        Err(SafetyError::ServiceLevel(p))
    }
}

/// The standard normal quantile: the `x` with Φ(x) = p, for 0 < p < 1 (±∞ at 0 and 1, NaN
/// outside). Wichura's algorithm AS 241 (PPND16), accurate to about 1e-16.
pub fn inverse_normal_cdf(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        let num = ((((((r * 2_509.080_928_730_122_7 + 33_430.575_583_588_13) * r
            + 67_265.770_927_008_7)
            * r
            + 45_921.953_931_549_87)
            * r
            + 13_731.693_765_509_46)
            * r
            + 1_971.590_950_306_551_4)
            * r
            + 133.141_667_891_784_38)
            * r
            + 3.387_132_872_796_366_5;
        let den = ((((((r * 5_226.495_278_852_546 + 28_729.085_735_721_943) * r
            + 39_307.895_800_092_71)
            * r
            + 21_213.794_301_586_597)
            * r
            + 5_394.196_021_424_751)
            * r
            + 687.187_007_492_057_9)
            * r
            + 42.313_330_701_600_91)
            * r
            + 1.0;
        return q * num / den;
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let mut r = (-tail.ln()).sqrt();
    let value = if r <= 5.0 {
        r -= 1.6;
        let num = ((((((r * 7.745_450_142_783_414e-4 + 0.022_723_844_989_269_184) * r
            + 0.241_780_725_177_450_6)
            * r
            + 1.270_458_252_452_368_4)
            * r
            + 3.647_848_324_763_204_5)
            * r
            + 5.769_497_221_460_691)
            * r
            + 4.630_337_846_156_545)
            * r
            + 1.423_437_110_749_683_5;
        let den = ((((((r * 1.050_750_071_644_416_8e-9 + 5.475_938_084_995_345e-4) * r
            + 0.015_198_666_563_616_457)
            * r
            + 0.148_103_976_427_480_08)
            * r
            + 0.689_767_334_985_1)
            * r
            + 1.676_384_830_183_803_8)
            * r
            + 2.053_191_626_637_759)
            * r
            + 1.0;
        num / den
    } else {
        r -= 5.0;
        let num = ((((((r * 2.010_334_399_292_288_1e-7 + 2.711_555_568_743_487_6e-5) * r
            + 0.001_242_660_947_388_078_4)
            * r
            + 0.026_532_189_526_576_124)
            * r
            + 0.296_560_571_828_504_9)
            * r
            + 1.784_826_539_917_291_3)
            * r
            + 5.463_784_911_164_114)
            * r
            + 6.657_904_643_501_103;
        let den = ((((((r * 2.044_263_103_389_939_7e-15 + 1.421_511_758_316_446e-7) * r
            + 1.846_318_317_510_054_8e-5)
            * r
            + 7.868_691_311_456_133e-4)
            * r
            + 0.014_875_361_290_850_615)
            * r
            + 0.136_929_880_922_735_8)
            * r
            + 0.599_832_206_555_888)
            * r
            + 1.0;
        num / den
    };
    if q < 0.0 { -value } else { value }
}

/// Economic order quantity √(2 × annual demand × cost per order ÷ (unit cost × holding rate)).
/// Costs in the same money unit (cents); `holding_rate` is a fraction per year (0.25 = 25%).
/// `None` when the unit cost or holding rate is not positive (the formula has no answer) or an
/// input is not a finite number, 0 or more.
pub fn eoq(annual_demand: f64, order_cost: f64, unit_cost: f64, holding_rate: f64) -> Option<f64> {
    let finite = [annual_demand, order_cost, unit_cost, holding_rate]
        .iter()
        .all(|value| value.is_finite() && *value >= 0.0);
    if !finite || unit_cost <= 0.0 || holding_rate <= 0.0 {
        return None;
    }
    Some((2.0 * annual_demand * order_cost / (unit_cost * holding_rate)).sqrt())
}

/// The quantity to order to bring `position` (available + on order − waiting) up to
/// `max_units`: at least the minimum order quantity, then rounded up to the order multiple.
/// 0 when the position already reaches the maximum.
pub fn order_quantity(position: i64, max_units: i64, order_multiple: i64, min_order: i64) -> i64 {
    let needed = max_units.saturating_sub(position);
    if needed <= 0 {
        return 0;
    }
    let quantity = needed.max(min_order.max(0));
    let multiple = order_multiple.max(1);
    let packs = quantity / multiple + i64::from(quantity % multiple != 0);
    packs.saturating_mul(multiple)
}

/// Days until the available units run out at the average daily demand; `None` without demand.
pub fn days_to_stockout(available: i64, avg_demand: f64) -> Option<f64> {
    (avg_demand.is_finite() && avg_demand > 0.0).then(|| available.max(0) as f64 / avg_demand)
}

/// How far a method is from the reference.
pub const DISAGREEMENT_SHARE: f64 = 0.25;

/// A method whose safety stock is more than 25% away from the reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub method: Method,
    /// The method compared with, or `None` for the median of all computed methods.
    pub reference: Option<Method>,
    pub reference_value: f64,
    /// (method − reference) ÷ reference; infinite when the reference is 0.
    pub difference: f64,
    /// Why, in a sentence.
    pub note: String,
}

/// Where the methods disagree. The reference is the demand-and-lead-time method (it uses every
/// statistical input) when it was computed, else the median of the computed methods. A method
/// disagrees when its safety stock differs from the reference by more than 25% of the
/// reference (any difference when the reference is 0).
pub fn disagreements(results: &[SafetyResult], inputs: &Inputs) -> Vec<Disagreement> {
    if results.len() < 2 {
        return Vec::new();
    }
    let (reference, reference_value) =
        match results.iter().find(|r| r.method == Method::DemandLeadTime) {
            Some(result) => (Some(Method::DemandLeadTime), result.safety_stock),
            None => {
                let mut values: Vec<f64> = results.iter().map(|r| r.safety_stock).collect();
                values.sort_by(f64::total_cmp);
                let middle = values.len() / 2;
                let median = if values.len().is_multiple_of(2) {
                    f64::midpoint(values[middle - 1], values[middle])
                } else {
                    values[middle]
                };
                (None, median)
            }
        };
    let reference_name = reference.map_or_else(
        || format!("the median ({reference_value:.2})"),
        |method| format!("{} ({reference_value:.2})", method.label()),
    );
    results
        .iter()
        .filter(|result| Some(result.method) != reference)
        .filter_map(|result| {
            let gap = result.safety_stock - reference_value;
            let difference = if reference_value.abs() < 1e-12 {
                if gap.abs() < 1e-12 {
                    0.0
                } else {
                    f64::INFINITY.copysign(gap)
                }
            } else {
                gap / reference_value.abs()
            };
            if difference.abs() <= DISAGREEMENT_SHARE {
                return None;
            }
            let direction = if difference.is_infinite() {
                if gap > 0.0 { "above" } else { "below" }.to_owned()
            } else if gap > 0.0 {
                format!("{:.0}% above", difference * 100.0)
            } else {
                format!("{:.0}% below", -difference * 100.0)
            };
            let note = format!(
                "{} ({:.2}) is {direction} {reference_name}: {}{}",
                result.method.label(),
                result.safety_stock,
                result.method.assumption(),
                driver_detail(result.method, inputs)
            );
            Some(Disagreement {
                method: result.method,
                reference,
                reference_value,
                difference,
                note,
            })
        })
        .collect()
}

/// The numbers behind a method's assumption, for the disagreement note.
fn driver_detail(method: Method, inputs: &Inputs) -> String {
    let d = inputs.avg_demand.unwrap_or(0.0);
    let l = inputs.lead_time.unwrap_or(0.0);
    let sd = inputs.sd_demand.unwrap_or(0.0);
    let sl = inputs.sd_lead_time.unwrap_or(0.0);
    match method {
        Method::RuleOfThumb => {
            let z = inputs.z.unwrap_or(0.0);
            format!(
                " (L = {} against Z × √L = {}, base buffer {})",
                show(l),
                show(z * l.sqrt()),
                show(inputs.base_buffer.unwrap_or(0.0))
            )
        }
        Method::Demand | Method::DemandLeadTime => {
            let demand_part = l * sd * sd;
            let lead_part = d * d * sl * sl;
            let total = demand_part + lead_part;
            if total > 0.0 {
                format!(
                    " (lead-time variation is {:.0}% of the variance, σL = {})",
                    lead_part / total * 100.0,
                    show(sl)
                )
            } else {
                String::new()
            }
        }
        Method::MaxAverage => format!(
            " (dmax {} against d {}, Lmax {} against L {})",
            show(inputs.max_demand.unwrap_or(0.0)),
            show(d),
            show(inputs.max_lead_time.unwrap_or(0.0)),
            show(l)
        ),
        Method::DaysOfCover => format!(
            " ({} days of {} a day)",
            show(inputs.cover_days.unwrap_or(0.0)),
            show(d)
        ),
    }
}

/// Mean, sample standard deviation (n − 1) and maximum of a series; `None` when empty. One
/// value has a standard deviation of 0.
pub fn mean_sd_max(values: &[f64]) -> Option<(f64, f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = if values.len() > 1 {
        (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((mean, sd, max))
}

/// Mean and sample standard deviation (n − 1) of `days` daily values of which only the
/// non-zero ones are given by their sum and sum of squares (every other day is 0).
pub fn daily_mean_sd(days: u32, sum: f64, sum_of_squares: f64) -> (f64, f64) {
    if days == 0 {
        return (0.0, 0.0);
    }
    let n = f64::from(days);
    let mean = sum / n;
    if days == 1 {
        return (mean, 0.0);
    }
    let variance = ((sum_of_squares - n * mean * mean) / (n - 1.0)).max(0.0);
    (mean, variance.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// d 25/day, σd 5, L 4 days, σL 1, dmax 40, Lmax 6, Z 1.65, base 10, cover 3.
    fn example() -> Inputs {
        Inputs {
            avg_demand: Some(25.0),
            sd_demand: Some(5.0),
            lead_time: Some(4.0),
            sd_lead_time: Some(1.0),
            max_demand: Some(40.0),
            max_lead_time: Some(6.0),
            z: Some(1.65),
            base_buffer: Some(10.0),
            cover_days: Some(3.0),
        }
    }

    fn ss(method: Method) -> SafetyResult {
        safety_stock(method, &example()).expect("all inputs given")
    }

    #[test]
    fn demand_variability_by_hand() {
        // 1.65 × 5 × √4 = 16.5; ROP = 25 × 4 + 16.5 = 116.5; 17 whole units.
        let result = ss(Method::Demand);
        assert!(close(result.safety_stock, 16.5));
        assert!(close(result.reorder_point, 116.5));
        assert_eq!(result.safety_stock_units(), 17);
        assert_eq!(result.reorder_point_units(), 117);
        assert_eq!(result.z, Some(1.65));
    }

    #[test]
    fn rule_of_thumb_by_hand() {
        // 10 + 5 × 4 = 30; ROP 130.
        let result = ss(Method::RuleOfThumb);
        assert!(close(result.safety_stock, 30.0));
        assert!(close(result.reorder_point, 130.0));
        assert_eq!(result.z, None);
        // Without a base buffer it counts as 0: 5 × 4 = 20.
        let inputs = Inputs {
            base_buffer: None,
            ..example()
        };
        let plain = safety_stock(Method::RuleOfThumb, &inputs).expect("ok");
        assert!(close(plain.safety_stock, 20.0));
        assert_eq!(plain.safety_stock_units(), 20);
    }

    #[test]
    fn demand_and_lead_time_by_hand() {
        // 1.65 × √(4 × 25 + 625 × 1) = 1.65 × √725 = 1.65 × 26.925824… = 44.427610…
        let result = ss(Method::DemandLeadTime);
        assert!((result.safety_stock - 44.427_610_334).abs() < 1e-6);
        assert!((result.reorder_point - 144.427_610_334).abs() < 1e-6);
        assert_eq!(result.safety_stock_units(), 45);
        // With σL = 0 it equals the demand-only method.
        let inputs = Inputs {
            sd_lead_time: Some(0.0),
            ..example()
        };
        let same = safety_stock(Method::DemandLeadTime, &inputs).expect("ok");
        assert!(close(same.safety_stock, 16.5));
    }

    #[test]
    fn max_average_by_hand() {
        // 40 × 6 − 25 × 4 = 140; ROP 240.
        let result = ss(Method::MaxAverage);
        assert!(close(result.safety_stock, 140.0));
        assert!(close(result.reorder_point, 240.0));
    }

    #[test]
    fn days_of_cover_by_hand() {
        // 25 × 3 = 75; ROP 175.
        let result = ss(Method::DaysOfCover);
        assert!(close(result.safety_stock, 75.0));
        assert!(close(result.reorder_point, 175.0));
    }

    #[test]
    fn reorder_point_formula() {
        assert!(close(reorder_point(25.0, 4.0, 16.5), 116.5));
        assert!(close(reorder_point(0.0, 10.0, 3.0), 3.0));
    }

    #[test]
    fn missing_inputs_are_named() {
        let inputs = Inputs {
            avg_demand: Some(25.0),
            lead_time: Some(4.0),
            ..Inputs::default()
        };
        let error = safety_stock(Method::DemandLeadTime, &inputs).expect_err("missing");
        assert_eq!(
            error,
            SafetyError::Missing {
                method: Method::DemandLeadTime,
                inputs: vec![Input::SdDemand, Input::SdLeadTime, Input::Z]
            }
        );
        assert_eq!(
            error.to_string(),
            "Demand and lead-time variability needs: Daily demand std. deviation, Lead time std. deviation (days), Z (service factor)"
        );
        // The reorder point needs d and L even when the safety stock does not.
        let cover_only = Inputs {
            avg_demand: Some(2.0),
            cover_days: Some(5.0),
            ..Inputs::default()
        };
        let error = safety_stock(Method::DaysOfCover, &cover_only).expect_err("no L");
        assert_eq!(
            error,
            SafetyError::Missing {
                method: Method::DaysOfCover,
                inputs: vec![Input::LeadTime]
            }
        );
    }

    #[test]
    fn bad_inputs_are_refused() {
        let negative = Inputs {
            sd_demand: Some(-1.0),
            ..example()
        };
        assert!(matches!(
            safety_stock(Method::Demand, &negative),
            Err(SafetyError::Invalid {
                input: Input::SdDemand,
                ..
            })
        ));
        let not_a_number = Inputs {
            lead_time: Some(f64::NAN),
            ..example()
        };
        assert!(safety_stock(Method::Demand, &not_a_number).is_err());
        let max_below = Inputs {
            max_demand: Some(20.0),
            ..example()
        };
        let error = safety_stock(Method::MaxAverage, &max_below).expect_err("max < avg");
        assert_eq!(
            error.to_string(),
            "Max daily demand (20) is below average daily demand (25)"
        );
    }

    #[test]
    fn inverse_normal_at_known_points() {
        let cases = [
            (0.5, 0.0),
            (0.9, 1.2816),
            (0.95, 1.6449),
            (0.99, 2.3263),
            (0.999, 3.0902),
        ];
        for (p, expected) in cases {
            let z = inverse_normal_cdf(p);
            assert!(
                (z - expected).abs() < 0.000_05,
                "Φ⁻¹({p}) = {z}, expected {expected}"
            );
            assert_eq!(format!("{z:.4}"), format!("{expected:.4}"));
        }
        // Full precision against published values, both tails and the far tail.
        assert!((inverse_normal_cdf(0.95) - 1.644_853_626_951_472_2).abs() < 1e-14);
        assert!((inverse_normal_cdf(0.05) + 1.644_853_626_951_472_2).abs() < 1e-14);
        assert!((inverse_normal_cdf(0.98) - 2.053_748_910_631_823).abs() < 1e-14);
        assert!((inverse_normal_cdf(1e-10) + 6.361_340_902_404_056).abs() < 1e-12);
        assert!((inverse_normal_cdf(1.0 - 1e-12) - 7.034_486_910_047_835_6).abs() < 1e-6);
        assert!(inverse_normal_cdf(1.5).is_nan());
        assert!(inverse_normal_cdf(1.0).is_infinite() && inverse_normal_cdf(1.0) > 0.0);
    }

    #[test]
    fn service_level_to_z() {
        assert!((z_for_service_level(0.95).expect("ok") - 1.6449).abs() < 5e-5);
        assert!(z_for_service_level(1.0).is_err());
        assert!(z_for_service_level(0.4).is_err());
        assert!(z_for_service_level(f64::NAN).is_err());
        assert!(close(z_for_service_level(0.5).expect("ok"), 0.0));
    }

    #[test]
    fn eoq_by_hand() {
        // √(2 × 1000 × 50 ÷ (10 × 0.25)) = √40000 = 200.
        assert!(close(
            eoq(1000.0, 50.0, 10.0, 0.25).expect("defined"),
            200.0
        ));
        // In cents: same ratio.
        assert!(close(eoq(1000.0, 5000.0, 1000.0, 0.25).expect("ok"), 200.0));
        assert_eq!(eoq(1000.0, 50.0, 0.0, 0.25), None);
        assert_eq!(eoq(1000.0, 50.0, 10.0, 0.0), None);
        assert_eq!(eoq(f64::NAN, 50.0, 10.0, 0.25), None);
        assert!(close(eoq(0.0, 50.0, 10.0, 0.25).expect("ok"), 0.0));
    }

    #[test]
    fn order_quantity_with_multiples_and_minimum() {
        // Position 20, max 117 → 97 needed.
        assert_eq!(order_quantity(20, 117, 1, 0), 97);
        // Cases of 12: 97 → 108.
        assert_eq!(order_quantity(20, 117, 12, 0), 108);
        // Minimum 150 first, then cases of 12: 150 → 156.
        assert_eq!(order_quantity(20, 117, 12, 150), 156);
        // Minimum below the need changes nothing.
        assert_eq!(order_quantity(20, 117, 1, 50), 97);
        // Exactly a multiple stays.
        assert_eq!(order_quantity(0, 96, 12, 0), 96);
        // Waiting customers make the position negative: more is needed.
        assert_eq!(order_quantity(-5, 10, 1, 0), 15);
        // Already at or above the maximum: nothing.
        assert_eq!(order_quantity(120, 117, 12, 150), 0);
        // Bad multiples count as 1.
        assert_eq!(order_quantity(0, 7, 0, 0), 7);
    }

    #[test]
    fn rounding_up() {
        assert_eq!(round_up_units(16.5), 17);
        assert_eq!(round_up_units(16.0), 16);
        assert_eq!(round_up_units(20.000_000_000_000_004), 20);
        assert_eq!(round_up_units(0.01), 1);
        assert_eq!(round_up_units(-3.2), 0);
        assert_eq!(round_up_units(f64::NAN), 0);
    }

    #[test]
    fn days_until_stockout() {
        assert!(close(days_to_stockout(50, 25.0).expect("demand"), 2.0));
        assert!(close(days_to_stockout(0, 25.0).expect("demand"), 0.0));
        assert_eq!(days_to_stockout(10, 0.0), None);
    }

    #[test]
    fn disagreement_names_the_driving_assumption() {
        let inputs = example();
        let results: Vec<SafetyResult> = Method::ALL.iter().map(|m| ss(*m)).collect();
        let notes = disagreements(&results, &inputs);
        // Reference 44.43: rule of thumb 30 (32% below), demand 16.5 (63% below), max–average
        // 140 (215% above), days of cover 75 (69% above): all four disagree.
        let methods: Vec<Method> = notes.iter().map(|n| n.method).collect();
        assert_eq!(
            methods,
            vec![
                Method::RuleOfThumb,
                Method::Demand,
                Method::MaxAverage,
                Method::DaysOfCover
            ]
        );
        let demand = &notes[1];
        assert_eq!(demand.reference, Some(Method::DemandLeadTime));
        assert!((demand.difference + 0.628_61).abs() < 1e-4);
        // 625 of 725 is lead-time variance: 86%.
        assert_eq!(
            demand.note,
            "Demand variability (16.50) is 63% below Demand and lead-time variability (44.43): it treats the lead time as fixed (σL is ignored) (lead-time variation is 86% of the variance, σL = 1)"
        );
        assert!(
            notes[2]
                .note
                .contains("busiest day and the slowest delivery")
        );
        assert!(notes[2].note.contains("215% above"));
    }

    #[test]
    fn no_disagreement_within_a_quarter() {
        // σL 0: demand and demand+lead time agree exactly (16.5); days of cover 25 × 0.66 = 16.5.
        let inputs = Inputs {
            sd_lead_time: Some(0.0),
            cover_days: Some(0.66),
            ..example()
        };
        let results: Vec<SafetyResult> =
            [Method::Demand, Method::DemandLeadTime, Method::DaysOfCover]
                .iter()
                .map(|m| safety_stock(*m, &inputs).expect("ok"))
                .collect();
        assert!(disagreements(&results, &inputs).is_empty());
    }

    #[test]
    fn median_is_the_reference_without_lead_time_variation() {
        let inputs = Inputs {
            sd_lead_time: None,
            ..example()
        };
        // 30, 16.5, 140, 75 → median (30 + 75) / 2 = 52.5.
        let results: Vec<SafetyResult> = Method::ALL
            .iter()
            .filter_map(|m| safety_stock(*m, &inputs).ok())
            .collect();
        assert_eq!(results.len(), 4);
        let notes = disagreements(&results, &inputs);
        assert!(notes.iter().all(|n| n.reference.is_none()));
        assert!(notes.iter().all(|n| close(n.reference_value, 52.5)));
        // 75 is 43% above 52.5; 30 is 43% below.
        assert_eq!(notes.len(), 4);
    }

    #[test]
    fn worked_formula_shows_the_values() {
        let inputs = example();
        assert_eq!(
            worked(Method::Demand, &inputs, 16.5),
            "1.65 × 5 × √4 = 16.50"
        );
        assert_eq!(
            worked(Method::DemandLeadTime, &inputs, 44.427_61),
            "1.65 × √(4 × 5² + 25² × 1²) = 44.43"
        );
        assert_eq!(
            worked(Method::MaxAverage, &inputs, 140.0),
            "40 × 6 − 25 × 4 = 140.00"
        );
    }

    #[test]
    fn method_codes_round_trip() {
        for method in Method::ALL {
            assert_eq!(Method::from_code(method.code()), Some(method));
        }
        assert_eq!(Method::from_code("nope"), None);
    }

    #[test]
    fn statistics_of_a_series() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd √(32/7).
        let values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let (mean, sd, max) = mean_sd_max(&values).expect("values");
        assert!(close(mean, 5.0));
        assert!(close(sd, (32.0_f64 / 7.0).sqrt()));
        assert!(close(max, 9.0));
        assert_eq!(mean_sd_max(&[]), None);
        // Ten days, two with demand 3 and 7, eight with none: mean 1, sd √((9+49−10)/9).
        let (mean, sd) = daily_mean_sd(10, 10.0, 58.0);
        assert!(close(mean, 1.0));
        assert!(close(sd, (48.0_f64 / 9.0).sqrt()));
        assert_eq!(daily_mean_sd(0, 0.0, 0.0), (0.0, 0.0));
    }
}
