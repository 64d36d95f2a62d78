//! "Today", injected everywhere so output is reproducible (`--today YYYY-MM-DD`).

use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock {
    fixed_today: Option<NaiveDate>,
}

impl Clock {
    /// The computer's clock, in local time.
    pub fn system() -> Self {
        Self { fixed_today: None }
    }

    /// A fixed day; `now` is noon of that day.
    pub fn fixed(today: NaiveDate) -> Self {
        Self {
            fixed_today: Some(today),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.fixed_today
            .unwrap_or_else(|| Local::now().date_naive())
    }

    pub fn now(&self) -> NaiveDateTime {
        match self.fixed_today {
            Some(day) => day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)),
            None => Local::now().naive_local(),
        }
    }

    /// `now` as stored in the database (`YYYY-MM-DD HH:MM:SS`).
    pub fn now_text(&self) -> String {
        crate::store::codec::datetime_text(self.now())
    }
}

/// Parses a day typed or given as `YYYY-MM-DD`, inside the dates the desk accepts (see
/// [`crate::domain::limits::parse_day`]).
pub fn parse_iso_date(text: &str) -> Result<NaiveDate, String> {
    crate::domain::limits::parse_day(text)
}

/// Checks the clock's "today" against the dates the desk accepts: a computer clock (or
/// `--today`) far in the past or future would date orders, receipts and backups wrongly.
pub fn check_today(clock: &Clock) -> Result<NaiveDate, String> {
    let today = clock.today();
    crate::domain::limits::check_day("today", today).map_err(|error| {
        let source = if clock.fixed_today.is_some() {
            "pass --today YYYY-MM-DD inside that range"
        } else {
            "set the computer's clock to the right date, or pass --today YYYY-MM-DD"
        };
        format!("{error} ({source})")
    })
}
