//! Exclusive areas as integers in 0.01 m²: parsed from text exactly, never through floats.
use crate::{i18n::Msg, msg};

/// Parse "89.5", "89.50" or "120" (m², at most two decimals, positive) into hundredths.
pub fn parse(text: &str) -> Result<i64, Msg> {
    const MSG: Msg = msg!("area_not_positive");
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MSG);
    }
    if frac.len() > 2 || (t.contains('.') && frac.is_empty()) {
        return Err(MSG);
    }
    // Ten digits of whole metres is far beyond any building; it keeps the sums inside i64.
    if whole.trim_start_matches('0').len() > 10 {
        return Err(msg!("area_too_large"));
    }
    let whole: i64 = whole.parse().map_err(|_| MSG)?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| MSG)?;
    let centi = whole * 100 + frac;
    if centi <= 0 {
        return Err(MSG);
    }
    Ok(centi)
}

/// Format hundredths of m² with exactly two decimals: 8950 → "89.50".
pub fn format(centi: i64) -> String {
    let sign = if centi < 0 { "-" } else { "" };
    let a = centi.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_parse_exactly() {
        assert_eq!(parse("89.5"), Ok(8950));
        assert_eq!(parse("89.50"), Ok(8950));
        assert_eq!(parse(" 120 "), Ok(12000));
        assert_eq!(parse("0.01"), Ok(1));
        assert_eq!(parse("0.1"), Ok(10));
    }

    #[test]
    fn bad_areas_are_refused() {
        for bad in ["", "0", "0.00", "-3", "1.234", "1e2", "abc", "1.", ".5", "1,5", "12 3", "+5", "99999999999"] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn formatting_keeps_two_decimals() {
        assert_eq!(format(8950), "89.50");
        assert_eq!(format(1), "0.01");
        assert_eq!(format(0), "0.00");
        assert_eq!(format(123456), "1234.56");
    }

    #[test]
    fn parse_and_format_round_trip() {
        for c in [1, 99, 100, 101, 8950, 1_000_000_007] {
            assert_eq!(parse(&format(c)), Ok(c));
        }
    }
}
