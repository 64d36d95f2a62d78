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
            Some(day) => day.and_time(NaiveTime::MIN) + chrono::Duration::hours(12),
            None => Local::now().naive_local(),
        }
    }

    /// `now` as stored in the database (`YYYY-MM-DD HH:MM:SS`).
    pub fn now_text(&self) -> String {
        self.now().format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_iso_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date in the form YYYY-MM-DD"))
}
