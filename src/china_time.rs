//! The time people in the compounds read: China Standard Time, UTC+8 all year (no daylight
//! saving since 1991). Dates a person sees, deadlines counted in days and "today" are all read here.
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// UTC+8.
pub fn zone() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// `t` as a clock in the compound reads it.
pub fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&zone())
}

/// `t` as `2026-03-02 08:30`, China time.
pub fn minute(t: DateTime<Utc>) -> String {
    local(t).format("%Y-%m-%d %H:%M").to_string()
}

/// The date `t` falls on, China time.
pub fn date(t: DateTime<Utc>) -> NaiveDate {
    local(t).date_naive()
}

/// Today's date, China time.
pub fn today() -> NaiveDate {
    date(Utc::now())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_utc_evening_is_the_next_morning_in_china() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 16, 30, 0).unwrap();
        assert_eq!(minute(t), "2026-03-02 00:30");
        assert_eq!(date(t), NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    }
}
