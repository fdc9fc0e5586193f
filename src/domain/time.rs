//! Instants are stored as integer microseconds since the Unix epoch (UTC) and sent as RFC 3339
//! in UTC. Calendar questions ("today", "this month", a date typed in a filter) are answered in
//! the business time zone.

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeDelta, TimeZone,
    Timelike, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant, in microseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp::from(Utc::now())
    }

    pub const fn from_micros(micros: i64) -> Timestamp {
        Timestamp(micros)
    }

    pub const fn micros(self) -> i64 {
        self.0
    }

    pub fn to_utc(self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.0).unwrap_or_default()
    }

    /// `2026-11-29T17:05:00Z`, with a fraction only when there is one.
    pub fn to_rfc3339(self) -> String {
        self.to_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(instant: DateTime<Utc>) -> Timestamp {
        Timestamp(instant.timestamp_micros())
    }
}

impl From<i64> for Timestamp {
    fn from(micros: i64) -> Timestamp {
        Timestamp(micros)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

/// Read back from RFC 3339 with any offset (what [`Serialize`] writes), to the microsecond.
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(deserializer)?;
        let instant = DateTime::parse_from_rfc3339(&text)
            .map_err(|_| serde::de::Error::custom(format!("data inválida (esperado RFC 3339): {text:?}")))?;
        Ok(Timestamp::from(instant.with_timezone(&Utc)))
    }
}

/// The calendar of the shop: its time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusinessCalendar {
    pub tz: Tz,
}

impl BusinessCalendar {
    pub fn new(tz: Tz) -> BusinessCalendar {
        BusinessCalendar { tz }
    }

    pub fn date_of(self, instant: Timestamp) -> NaiveDate {
        instant.to_utc().with_timezone(&self.tz).date_naive()
    }

    /// The hour of the day (0 to 23) of an instant here.
    pub fn hour_of(self, instant: Timestamp) -> u32 {
        instant.to_utc().with_timezone(&self.tz).hour()
    }

    pub fn today(self) -> NaiveDate {
        self.date_of(Timestamp::now())
    }

    /// The first instant of `date` in the business time zone.
    pub fn start_of(self, date: NaiveDate) -> Timestamp {
        self.instant_of(date.and_time(NaiveTime::MIN))
    }

    /// The instant a wall-clock time denotes here. A time skipped by a daylight-saving jump is
    /// moved forward past the gap; a repeated one means its first occurrence.
    pub fn instant_of(self, local: NaiveDateTime) -> Timestamp {
        let mut candidate = local;
        for _ in 0..4 {
            match self.tz.from_local_datetime(&candidate) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                    return Timestamp::from(t.with_timezone(&Utc));
                }
                LocalResult::None => candidate += TimeDelta::minutes(30),
            }
        }
        Timestamp::from(Utc.from_utc_datetime(&local))
    }

    /// Parses a filter bound as clients send it. Returns the half-open range `[from, until)`
    /// the text denotes: a date is its whole day, `HH:MM` its whole minute, `HH:MM:SS` its
    /// second; an RFC 3339 instant with an offset is that instant.
    pub fn parse_period(self, text: &str) -> Option<(Timestamp, Timestamp)> {
        let text = text.trim();
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            let next = date.checked_add_days(Days::new(1))?;
            return Some((self.start_of(date), self.start_of(next)));
        }
        if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
            let start = Timestamp::from(instant.with_timezone(&Utc));
            return Some((start, Timestamp(start.0 + 1)));
        }
        let normalized = text.replacen(' ', "T", 1);
        for (format, length) in [
            ("%Y-%m-%dT%H:%M", TimeDelta::minutes(1)),
            ("%Y-%m-%dT%H:%M:%S", TimeDelta::seconds(1)),
            ("%Y-%m-%dT%H:%M:%S%.f", TimeDelta::microseconds(1)),
        ] {
            if let Ok(local) = NaiveDateTime::parse_from_str(&normalized, format) {
                return Some((self.instant_of(local), self.instant_of(local + length)));
            }
        }
        None
    }

    pub fn month_start(self, date: NaiveDate) -> NaiveDate {
        date.with_day(1).unwrap_or(date)
    }
}

/// A calendar day as stored in the daily aggregates: `2026-11-29`.
pub fn day_key(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sao_paulo() -> BusinessCalendar {
        BusinessCalendar::new(chrono_tz::America::Sao_Paulo)
    }

    fn at(text: &str) -> Timestamp {
        Timestamp::from(DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc))
    }

    #[test]
    fn serializes_as_rfc3339_utc() {
        assert_eq!(at("2025-06-02T11:00:00Z").to_rfc3339(), "2025-06-02T11:00:00Z");
        assert_eq!(Timestamp(1_500_000).to_rfc3339(), "1970-01-01T00:00:01.500Z");
    }

    #[test]
    fn rfc3339_round_trips_to_the_microsecond() {
        for micros in [0, 1, 1_500_000, 1_748_862_000_000_000, 1_764_425_048_992_351] {
            let json = serde_json::to_string(&Timestamp(micros)).unwrap();
            assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), Timestamp(micros), "{json}");
        }
        let local: Timestamp = serde_json::from_str("\"2025-06-02T08:00:00-03:00\"").unwrap();
        assert_eq!(local, at("2025-06-02T11:00:00Z"));
        assert!(serde_json::from_str::<Timestamp>("\"2025-06-02 11:00\"").is_err());
    }

    #[test]
    fn a_date_is_the_whole_local_day() {
        let (from, until) = sao_paulo().parse_period("2026-11-29").unwrap();
        assert_eq!(from, at("2026-11-29T03:00:00Z"));
        assert_eq!(until, at("2026-11-30T03:00:00Z"));
    }

    #[test]
    fn minutes_and_seconds_are_local_and_cover_their_unit() {
        let (from, until) = sao_paulo().parse_period("2026-11-29T14:05").unwrap();
        assert_eq!((from, until), (at("2026-11-29T17:05:00Z"), at("2026-11-29T17:06:00Z")));
        let (from, until) = sao_paulo().parse_period("2026-11-29 14:05:30").unwrap();
        assert_eq!((from, until), (at("2026-11-29T17:05:30Z"), at("2026-11-29T17:05:31Z")));
    }

    #[test]
    fn an_offset_is_honoured() {
        let (from, _) = sao_paulo().parse_period("2026-11-29T14:05:00+00:00").unwrap();
        assert_eq!(from, at("2026-11-29T14:05:00Z"));
        let (from, _) = sao_paulo().parse_period("2026-11-29T14:05:00Z").unwrap();
        assert_eq!(from, at("2026-11-29T14:05:00Z"));
    }

    #[test]
    fn garbage_is_refused() {
        for text in ["", "ontem", "2026-13-01", "2026-02-30", "29/11/2026", "2026-11-29T25:00", "2026-11-29T"] {
            assert_eq!(sao_paulo().parse_period(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_skipped_local_time_moves_past_the_gap() {
        // São Paulo skipped 2018-11-04 00:00-01:00 (daylight saving time start).
        let start = sao_paulo().start_of(NaiveDate::from_ymd_opt(2018, 11, 4).unwrap());
        assert_eq!(start, at("2018-11-04T03:00:00Z"));
    }

    #[test]
    fn dates_follow_the_business_zone() {
        assert_eq!(sao_paulo().date_of(at("2026-11-30T02:59:59Z")), NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
        assert_eq!(sao_paulo().date_of(at("2026-11-30T03:00:00Z")), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    }

    proptest! {
        #[test]
        fn parse_period_never_panics(text in "\\PC{0,40}") {
            let _ = sao_paulo().parse_period(&text);
        }

        #[test]
        fn any_valid_datetime_local_parses_to_a_one_minute_period(
            y in 1970i32..2200, m in 1u32..=12, d in 1u32..=28, h in 0u32..24, min in 0u32..60
        ) {
            let text = format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}");
            let (from, until) = sao_paulo().parse_period(&text).unwrap();
            prop_assert!(from < until);
            prop_assert!(until.micros() - from.micros() <= 3_600_000_000 + 60_000_000);
        }
    }
}
