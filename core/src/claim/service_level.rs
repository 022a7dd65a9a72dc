//! Service levels of claims: the company's business hours, the targets per priority, the
//! business-time arithmetic that measures a claim against them, and the scheduled command
//! that records breaches.
//!
//! **Business time.** The company works from `opens` to `closes` (UTC) on its working days
//! (by default 09:00–17:00, Monday to Friday). The business time elapsed between two
//! instants is the part of that span inside working hours and outside the periods the
//! claim was paused: while it waited on the customer, and between a resolution and a
//! reopening. A target's *due instant* is the earliest moment the business time elapsed
//! since the claim was opened reaches the target; a pause still running at the moment of
//! the question counts as ending then.
//!
//! **Targets.** First response: met by the first `RespondToClaim`, `AskCustomer` or
//! `ResolveClaim`. Resolution: met while the claim is resolved (or closed), at the moment
//! of that resolution; a reopened claim is unresolved again and its clock runs on. A target
//! is *breached* as of an instant when the moment it was met (or, unmet, the instant
//! itself) is after its due instant. Worked example (8 business hours, opened Friday
//! 15:00): Friday 15:00–17:00 counts 2 hours, the weekend nothing, Monday 09:00–15:00 the
//! other 6, so it is due Monday 15:00; had the claim waited on the customer from Monday
//! 10:00 to Tuesday 10:00, the 8 working hours of that wait (Monday 10:00–17:00, Tuesday
//! 09:00–10:00) would not count and it would be due Tuesday 15:00.
//!
//! **Breaches.** `RecordServiceLevelBreaches { as_of }` (run on a schedule) appends one
//! [`ClaimServiceLevelBreached`] per claim and target breached as of that moment and never
//! recorded before; a target is recorded at most once in a claim's life. It is refused with
//! [`DomainError::NoServiceLevelBreach`] when there is nothing new.

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::{Claim, ClaimPriority, ClaimStatus, PauseKind};
use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ClaimId, CustomerId};

/// The longest accepted service-level target, in business hours (a year of hours).
pub const MAX_SERVICE_LEVEL_HOURS: u32 = 8760;

/// How far ahead a due instant is searched, in calendar days (a hundred years); a target
/// the business calendar cannot reach within it is never due.
const MAX_SEARCH_DAYS: u64 = 36_600;

/// The company's working hours, in UTC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    /// Opening time (UTC), e.g. `"09:00:00"`.
    pub opens: NaiveTime,
    /// Closing time (UTC), after `opens`.
    pub closes: NaiveTime,
    /// The working days, e.g. `["Mon", "Tue", "Wed", "Thu", "Fri"]`.
    pub working_days: Vec<Weekday>,
}

impl Default for BusinessHours {
    fn default() -> Self {
        Self {
            opens: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            closes: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN),
            working_days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
        }
    }
}

/// The targets of one claim priority, in business hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLevel {
    /// The priority.
    pub priority: ClaimPriority,
    /// Business hours from opening to the first response.
    pub first_response_hours: u32,
    /// Business hours from opening to the resolution.
    pub resolution_hours: u32,
}

/// The default service levels: urgent 2 / 8, high 4 / 24, normal 8 / 40, low 16 / 80
/// business hours to first response / resolution.
pub fn default_service_levels() -> Vec<ServiceLevel> {
    [
        (ClaimPriority::Urgent, 2, 8),
        (ClaimPriority::High, 4, 24),
        (ClaimPriority::Normal, 8, 40),
        (ClaimPriority::Low, 16, 80),
    ]
    .into_iter()
    .map(
        |(priority, first_response_hours, resolution_hours)| ServiceLevel {
            priority,
            first_response_hours,
            resolution_hours,
        },
    )
    .collect()
}

/// Checks the claim settings: business hours open before they close on at least one
/// working day, and every priority has exactly one service level with targets from 1 to
/// [`MAX_SERVICE_LEVEL_HOURS`] hours.
pub(crate) fn validate_settings(levels: &[ServiceLevel], hours: &BusinessHours) -> Result<(), DomainError> {
    if hours.opens >= hours.closes {
        return Err(DomainError::InvalidBusinessHours {
            opens: hours.opens,
            closes: hours.closes,
        });
    }
    if hours.working_days.is_empty() {
        return Err(DomainError::NoWorkingDays);
    }
    for (index, level) in levels.iter().enumerate() {
        if levels[..index].iter().any(|l| l.priority == level.priority) {
            return Err(DomainError::DuplicateServiceLevel {
                priority: level.priority,
            });
        }
        for (field, value) in [
            ("first_response_hours", level.first_response_hours),
            ("resolution_hours", level.resolution_hours),
        ] {
            if value == 0 || value > MAX_SERVICE_LEVEL_HOURS {
                return Err(DomainError::ServiceLevelOutOfRange {
                    priority: level.priority,
                    field,
                    hours: value,
                });
            }
        }
    }
    for priority in ClaimPriority::ALL {
        if !levels.iter().any(|l| l.priority == priority) {
            return Err(DomainError::ServiceLevelMissing { priority });
        }
    }
    Ok(())
}

/// A span of wall-clock time, `from` included, `until` excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Start.
    pub from: DateTime<Utc>,
    /// End.
    pub until: DateTime<Utc>,
}

impl BusinessHours {
    /// The working hours of a day, if it is a working day.
    fn window(&self, day: NaiveDate) -> Option<Span> {
        self.working_days.contains(&day.weekday()).then(|| Span {
            from: day.and_time(self.opens).and_utc(),
            until: day.and_time(self.closes).and_utc(),
        })
    }

    /// The parts of a day's working hours at or after `start` and outside `paused`, in
    /// order.
    fn free_parts(&self, day: NaiveDate, start: DateTime<Utc>, paused: &[Span]) -> Vec<Span> {
        let Some(window) = self.window(day) else {
            return Vec::new();
        };
        let mut cursor = window.from.max(start);
        let mut parts = Vec::new();
        for pause in paused {
            if cursor >= window.until || pause.from >= window.until {
                break;
            }
            if pause.until <= cursor {
                continue;
            }
            if pause.from > cursor {
                parts.push(Span {
                    from: cursor,
                    until: pause.from,
                });
            }
            cursor = cursor.max(pause.until);
        }
        if cursor < window.until {
            parts.push(Span {
                from: cursor,
                until: window.until,
            });
        }
        parts
    }

    /// The business time from `from` to `until` outside the `paused` spans (sorted by
    /// start).
    pub fn elapsed(&self, from: DateTime<Utc>, until: DateTime<Utc>, paused: &[Span]) -> Duration {
        let mut total = Duration::zero();
        let mut day = from.date_naive();
        while day <= until.date_naive() {
            for part in self.free_parts(day, from, paused) {
                if part.from >= until {
                    break;
                }
                total += part.until.min(until) - part.from;
            }
            let Some(next) = day.checked_add_days(Days::new(1)) else {
                break;
            };
            day = next;
        }
        total
    }

    /// The earliest instant at which the business time since `from`, outside the `paused`
    /// spans (sorted by start), reaches `target`; `DateTime::<Utc>::MAX_UTC` when the
    /// calendar cannot reach it within a hundred years.
    pub fn due(&self, from: DateTime<Utc>, target: Duration, paused: &[Span]) -> DateTime<Utc> {
        let mut counted = Duration::zero();
        let mut day = from.date_naive();
        for _ in 0..MAX_SEARCH_DAYS {
            for part in self.free_parts(day, from, paused) {
                let length = part.until - part.from;
                if counted + length >= target {
                    return part.from + (target - counted);
                }
                counted += length;
            }
            let Some(next) = day.checked_add_days(Days::new(1)) else {
                break;
            };
            day = next;
        }
        DateTime::<Utc>::MAX_UTC
    }
}

/// A service-level target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ServiceLevelTarget {
    /// Time to the first response.
    FirstResponse,
    /// Time to the resolution.
    Resolution,
}

/// Where a claim stands against one target as of an instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetStatus {
    /// The target, in business hours.
    pub target_hours: u32,
    /// When it is (or was) due: the earliest instant the business time since opening,
    /// pauses excluded, reaches the target (a pause still running counts as ending now).
    pub due_at: DateTime<Utc>,
    /// When it was met, if it was by then.
    pub met_at: Option<DateTime<Utc>>,
    /// Met after its due instant, or unmet past it.
    pub breached: bool,
}

/// A claim measured against its service levels as of an instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimServiceLevel {
    /// The claim.
    pub claim_id: ClaimId,
    /// Its customer.
    pub customer_id: CustomerId,
    /// Its priority.
    pub priority: ClaimPriority,
    /// Its status now (the book's, not as of the instant).
    pub status: ClaimStatus,
    /// The clocks were paused at that instant (waiting on the customer).
    pub waiting_on_customer: bool,
    /// Time to first response.
    pub first_response: TargetStatus,
    /// Time to resolution.
    pub resolution: TargetStatus,
}

impl ClaimServiceLevel {
    /// The status of one target.
    pub fn target(&self, target: ServiceLevelTarget) -> &TargetStatus {
        match target {
            ServiceLevelTarget::FirstResponse => &self.first_response,
            ServiceLevelTarget::Resolution => &self.resolution,
        }
    }
}

/// A claim against `level` under `hours` as of `as_of`; `None` for a claim opened later.
/// Only what happened up to `as_of` counts.
pub fn measure(
    claim: &Claim,
    level: &ServiceLevel,
    hours: &BusinessHours,
    as_of: DateTime<Utc>,
) -> Option<ClaimServiceLevel> {
    if claim.opened_at > as_of {
        return None;
    }
    let mut paused: Vec<Span> = claim
        .pauses
        .iter()
        .filter(|p| p.from < as_of)
        .map(|p| Span {
            from: p.from,
            until: p.until.map_or(as_of, |until| until.min(as_of)),
        })
        .collect();
    paused.sort_by_key(|p| p.from);
    let covering = |kind: PauseKind| {
        claim
            .pauses
            .iter()
            .find(|p| p.kind == kind && p.from <= as_of && p.until.is_none_or(|until| until > as_of))
    };
    let status = |target_hours: u32, met_at: Option<DateTime<Utc>>| {
        let due_at = hours.due(claim.opened_at, Duration::hours(i64::from(target_hours)), &paused);
        TargetStatus {
            target_hours,
            due_at,
            met_at,
            breached: met_at.unwrap_or(as_of) > due_at,
        }
    };
    Some(ClaimServiceLevel {
        claim_id: claim.id,
        customer_id: claim.customer_id,
        priority: claim.priority,
        status: claim.status,
        waiting_on_customer: covering(PauseKind::WaitingOnCustomer).is_some(),
        first_response: status(
            level.first_response_hours,
            claim.first_response_at.filter(|at| *at <= as_of),
        ),
        resolution: status(
            level.resolution_hours,
            covering(PauseKind::Resolved).map(|p| p.from),
        ),
    })
}

/// Every claim opened by `as_of`, measured against its service levels as of then.
pub fn service_levels(book: &Book, as_of: DateTime<Utc>) -> Vec<ClaimServiceLevel> {
    let Some(company) = book.company() else {
        return Vec::new();
    };
    let settings = &company.settings;
    book.claims()
        .filter_map(|claim| {
            let level = settings
                .service_levels
                .iter()
                .find(|l| l.priority == claim.priority)?;
            measure(claim, level, &settings.business_hours, as_of)
        })
        .collect()
}

/// Command: record the service-level breaches as of an instant (run on a schedule).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordServiceLevelBreaches {
    /// The instant the claims are measured at.
    pub as_of: DateTime<Utc>,
}

/// Event: a claim breached one of its service-level targets (recorded once per target).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimServiceLevelBreached {
    /// The claim.
    pub claim_id: ClaimId,
    /// The target breached.
    pub target: ServiceLevelTarget,
    /// When it was due.
    pub due_at: DateTime<Utc>,
    /// The instant the breach was measured at.
    pub as_of: DateTime<Utc>,
}

pub(crate) fn record_breaches(
    book: &Book,
    cmd: &RecordServiceLevelBreaches,
) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let mut events = Vec::new();
    for measured in service_levels(book, cmd.as_of) {
        let Some(claim) = book.claim(measured.claim_id) else {
            continue;
        };
        for target in [ServiceLevelTarget::FirstResponse, ServiceLevelTarget::Resolution] {
            let status = measured.target(target);
            if status.breached && !claim.breaches.contains(&target) {
                events.push(Event::ClaimServiceLevelBreached(ClaimServiceLevelBreached {
                    claim_id: claim.id,
                    target,
                    due_at: status.due_at,
                    as_of: cmd.as_of,
                }));
            }
        }
    }
    if events.is_empty() {
        return Err(DomainError::NoServiceLevelBreach { as_of: cmd.as_of });
    }
    Ok(events)
}

pub(crate) fn apply_breached(book: &mut Book, e: &ClaimServiceLevelBreached) {
    if let Some(claim) = book.claims.get_mut(&e.claim_id) {
        claim.breaches.insert(e.target);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        // March 2026: the 6th is a Friday, the 9th a Monday.
        Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap()
    }

    #[test]
    fn the_clock_stops_at_night_and_over_the_weekend() {
        let hours = BusinessHours::default();
        assert_eq!(hours.due(at(6, 15, 0), Duration::hours(8), &[]), at(9, 15, 0));
        assert_eq!(hours.elapsed(at(6, 15, 0), at(9, 15, 0), &[]), Duration::hours(8));
        assert_eq!(hours.due(at(7, 12, 0), Duration::hours(2), &[]), at(9, 11, 0));
        assert_eq!(hours.due(at(9, 9, 0), Duration::hours(8), &[]), at(9, 17, 0));
    }

    #[test]
    fn pauses_do_not_count() {
        let hours = BusinessHours::default();
        let wait = [Span {
            from: at(9, 10, 0),
            until: at(10, 10, 0),
        }];
        assert_eq!(hours.due(at(6, 15, 0), Duration::hours(8), &wait), at(10, 15, 0));
        assert_eq!(
            hours.elapsed(at(6, 15, 0), at(10, 15, 0), &wait),
            Duration::hours(8)
        );
    }
}
