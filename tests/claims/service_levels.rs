//! Service levels in business time: the clocks run only in business hours (09:00–17:00
//! UTC, Monday to Friday by default), stop while the claim waits on the customer and
//! between a resolution and a reopening; the breach query as of any instant; the scheduled
//! command that records each breached target once.

use crate::common::*;
use crate::support::{World, person};
use o2c::chrono::{NaiveTime, Weekday};
use o2c::claim::{
    AskCustomer, BusinessHours, ClaimPriority, ClaimResolution, ClaimServiceLevelBreached, ClaimStatus,
    ClaimType, RecordCustomerReply, RecordServiceLevelBreaches, ReopenClaim, ResolveClaim, RespondToClaim,
    ServiceLevel, ServiceLevelTarget, TargetStatus,
};
use o2c::company::{ChangeCompanySettings, CompanySettings};
use o2c::ids::ClaimId;
use o2c::{DomainError, Event, Role};

/// A claim of Acme of `priority` about a delivered widget order, opened at `opened`.
fn claim_at(
    w: &mut World,
    priority: ClaimPriority,
    opened: o2c::chrono::DateTime<o2c::chrono::Utc>,
) -> ClaimId {
    let widget = w.widget;
    let (order_id, _) = delivered(w, &[(widget, "1")]);
    clock(&mut w.h, opened);
    open(w, about_order(order_id), ClaimType::DamagedGoods, priority)
}

fn respond_at(w: &mut World, claim_id: ClaimId, time: o2c::chrono::DateTime<o2c::chrono::Utc>) {
    clock(&mut w.h, time);
    w.h.ok(RespondToClaim {
        claim_id,
        message: "On it.".into(),
    });
}

fn resolve_at(w: &mut World, claim_id: ClaimId, time: o2c::chrono::DateTime<o2c::chrono::Utc>) {
    clock(&mut w.h, time);
    w.h.ok(ResolveClaim {
        claim_id,
        resolution: ClaimResolution::Replacement { order_id: None },
    });
}

fn breach(
    claim_id: ClaimId,
    target: ServiceLevelTarget,
    due_at: o2c::chrono::DateTime<o2c::chrono::Utc>,
    as_of: o2c::chrono::DateTime<o2c::chrono::Utc>,
) -> Event {
    Event::ClaimServiceLevelBreached(ClaimServiceLevelBreached {
        claim_id,
        target,
        due_at,
        as_of,
    })
}

#[test]
fn the_clocks_stop_at_night_and_over_the_weekend() {
    let mut w = World::new();
    // Normal: 8 business hours to first response, 40 to resolution. Friday 6 March 15:00.
    let claim_id = claim_at(&mut w, ClaimPriority::Normal, at(3, 6, 15, 0));

    let before = service_level(&w, claim_id, at(3, 9, 14, 59));

    // Friday 15:00–17:00 and Monday 09:00–15:00: 8 hours.
    assert_eq!(
        before.first_response,
        TargetStatus {
            target_hours: 8,
            due_at: at(3, 9, 15, 0),
            met_at: None,
            breached: false,
        }
    );
    // 2 hours on Friday, 8 on each of Monday to Thursday, 6 on Friday 13 March.
    assert_eq!(before.resolution.due_at, at(3, 13, 15, 0));
    assert!(!before.resolution.breached);
    assert_eq!(before.status, ClaimStatus::Open);
    let after = service_level(&w, claim_id, at(3, 9, 15, 1));
    assert!(after.first_response.breached);
    assert!(!after.resolution.breached);
}

#[test]
fn a_claim_opened_out_of_hours_starts_its_clocks_at_the_next_opening() {
    let mut w = World::new();
    // Urgent: 2 hours to first response, 8 to resolution. Saturday 7 March.
    let claim_id = claim_at(&mut w, ClaimPriority::Urgent, at(3, 7, 12, 0));

    let status = service_level(&w, claim_id, at(3, 7, 18, 0));

    assert_eq!(status.first_response.due_at, at(3, 9, 11, 0));
    assert_eq!(status.resolution.due_at, at(3, 9, 17, 0));
    assert!(!status.first_response.breached);
}

#[test]
fn a_response_in_time_meets_the_target_and_a_late_one_breaches_it() {
    let mut w = World::new();
    let in_time = claim_at(&mut w, ClaimPriority::Urgent, at(3, 9, 9, 0));
    let late = claim_at(&mut w, ClaimPriority::Urgent, at(3, 9, 9, 30));
    respond_at(&mut w, in_time, at(3, 9, 10, 59));
    respond_at(&mut w, late, at(3, 9, 11, 45));

    let as_of = at(3, 9, 16, 0);
    assert_eq!(
        service_level(&w, in_time, as_of).first_response,
        TargetStatus {
            target_hours: 2,
            due_at: at(3, 9, 11, 0),
            met_at: Some(at(3, 9, 10, 59)),
            breached: false,
        }
    );
    assert_eq!(
        service_level(&w, late, as_of).first_response,
        TargetStatus {
            target_hours: 2,
            due_at: at(3, 9, 11, 30),
            met_at: Some(at(3, 9, 11, 45)),
            breached: true,
        }
    );
}

#[test]
fn waiting_on_the_customer_stops_the_clocks() {
    let mut w = World::new();
    // Urgent, Tuesday 10 March 10:00: resolution due Wednesday 10:00 without waits.
    let claim_id = claim_at(&mut w, ClaimPriority::Urgent, at(3, 10, 10, 0));
    respond_at(&mut w, claim_id, at(3, 10, 10, 30));
    clock(&mut w.h, at(3, 10, 11, 0));
    w.h.ok(AskCustomer {
        claim_id,
        question: "Which lot?".into(),
    });

    // While waiting, the due instant moves with the wait: 1 hour counted before it, 7 to go
    // from now.
    let waiting = service_level(&w, claim_id, at(3, 11, 10, 0));
    assert!(waiting.waiting_on_customer);
    assert_eq!(waiting.resolution.due_at, at(3, 11, 17, 0));
    assert!(!waiting.resolution.breached);

    clock(&mut w.h, at(3, 11, 11, 0));
    w.h.ok(RecordCustomerReply {
        claim_id,
        message: "Lot L-7.".into(),
    });
    // The wait (Tuesday 11:00 to Wednesday 11:00) held 8 business hours: due Thursday 10:00.
    let resumed = service_level(&w, claim_id, at(3, 11, 12, 0));
    assert!(!resumed.waiting_on_customer);
    assert_eq!(resumed.resolution.due_at, at(3, 12, 10, 0));
    assert!(!resumed.resolution.breached);
    assert!(service_level(&w, claim_id, at(3, 12, 10, 1)).resolution.breached);
}

#[test]
fn the_query_answers_as_of_an_earlier_instant_and_leaves_out_later_claims() {
    let mut w = World::new();
    let claim_id = claim_at(&mut w, ClaimPriority::Normal, at(3, 9, 9, 0));
    respond_at(&mut w, claim_id, at(3, 9, 10, 0));
    resolve_at(&mut w, claim_id, at(3, 10, 10, 0));

    let earlier = service_level(&w, claim_id, at(3, 9, 9, 30));
    assert_eq!(earlier.first_response.met_at, None);
    assert_eq!(earlier.resolution.met_at, None);
    let between = service_level(&w, claim_id, at(3, 9, 12, 0));
    assert_eq!(between.first_response.met_at, Some(at(3, 9, 10, 0)));
    assert_eq!(between.resolution.met_at, None);
    let after = service_level(&w, claim_id, at(3, 20, 12, 0));
    assert_eq!(after.resolution.met_at, Some(at(3, 10, 10, 0)));
    assert!(!after.resolution.breached);
    let before_opening = w.h.engine.read(|book| book.claim_service_levels(at(3, 9, 8, 0)));
    assert!(before_opening.iter().all(|s| s.claim_id != claim_id));
}

#[test]
fn a_claim_breaching_its_resolution_service_level_is_recorded_once() {
    let mut w = World::new();
    // Urgent, Monday 9 March 09:00: first response due 11:00, resolution due 17:00.
    let claim_id = claim_at(&mut w, ClaimPriority::Urgent, at(3, 9, 9, 0));
    respond_at(&mut w, claim_id, at(3, 9, 9, 30));
    let on_time = at(3, 9, 17, 0);
    assert_eq!(
        w.h.refused(RecordServiceLevelBreaches { as_of: on_time }),
        DomainError::NoServiceLevelBreach { as_of: on_time },
        "due at 17:00 is not breached at 17:00"
    );
    let as_of = at(3, 9, 17, 1);
    let agent = person("agent", &[Role::CustomerService]);
    assert!(matches!(
        w.h.as_actor(agent, |h| h.refused(RecordServiceLevelBreaches { as_of })),
        DomainError::NotAuthorized {
            command: "RecordServiceLevelBreaches",
            ..
        }
    ));
    let lead = person("lead", &[Role::CustomerServiceLead]);

    let event =
        w.h.as_actor(lead, |h| only(h.ok(RecordServiceLevelBreaches { as_of })));

    assert_eq!(
        event,
        breach(claim_id, ServiceLevelTarget::Resolution, at(3, 9, 17, 0), as_of)
    );
    assert!(
        claim(&w, claim_id)
            .breaches
            .contains(&ServiceLevelTarget::Resolution)
    );
    assert_eq!(
        w.h.refused(RecordServiceLevelBreaches { as_of }),
        DomainError::NoServiceLevelBreach { as_of },
        "a target is recorded once"
    );
    resolve_at(&mut w, claim_id, at(3, 10, 10, 0));
    let later = at(3, 10, 11, 0);
    let status = service_level(&w, claim_id, later);
    assert_eq!(status.resolution.met_at, Some(at(3, 10, 10, 0)));
    assert!(status.resolution.breached, "resolved late stays breached");
    assert_eq!(
        w.h.refused(RecordServiceLevelBreaches { as_of: later }),
        DomainError::NoServiceLevelBreach { as_of: later }
    );
}

#[test]
fn each_target_of_each_claim_is_recorded_when_it_is_first_breached() {
    let mut w = World::new();
    // High: 4 / 24 hours, opened Monday 09:00. Low: 16 / 80 hours, opened Monday 10:00.
    let high = claim_at(&mut w, ClaimPriority::High, at(3, 9, 9, 0));
    let low = claim_at(&mut w, ClaimPriority::Low, at(3, 9, 10, 0));
    let monday = at(3, 9, 13, 1);

    let recorded = events(w.h.ok(RecordServiceLevelBreaches { as_of: monday }));

    assert_eq!(
        recorded,
        [breach(
            high,
            ServiceLevelTarget::FirstResponse,
            at(3, 9, 13, 0),
            monday
        )]
    );
    // Low's first response: 7 hours on Monday, 8 on Tuesday, 1 on Wednesday.
    let wednesday = at(3, 11, 10, 30);
    let recorded = events(w.h.ok(RecordServiceLevelBreaches { as_of: wednesday }));
    assert_eq!(
        recorded,
        [breach(
            low,
            ServiceLevelTarget::FirstResponse,
            at(3, 11, 10, 0),
            wednesday
        )]
    );
    // High's resolution: Monday, Tuesday and Wednesday, 8 hours each.
    let thursday = at(3, 12, 9, 0);
    let recorded = events(w.h.ok(RecordServiceLevelBreaches { as_of: thursday }));
    assert_eq!(
        recorded,
        [breach(
            high,
            ServiceLevelTarget::Resolution,
            at(3, 11, 17, 0),
            thursday
        )]
    );
}

#[test]
fn the_time_between_a_resolution_and_a_reopening_does_not_count() {
    let mut w = World::new();
    // Urgent, Monday 09:00; resolved at 12:00 after 3 hours; reopened Tuesday 09:00.
    let claim_id = claim_at(&mut w, ClaimPriority::Urgent, at(3, 9, 9, 0));
    respond_at(&mut w, claim_id, at(3, 9, 9, 10));
    resolve_at(&mut w, claim_id, at(3, 9, 12, 0));
    clock(&mut w.h, at(3, 10, 9, 0));
    w.h.ok(ReopenClaim {
        claim_id,
        reason: "Still broken.".into(),
    });

    let status = service_level(&w, claim_id, at(3, 10, 13, 0));

    // 5 hours to go from Tuesday 09:00.
    assert_eq!(status.resolution.due_at, at(3, 10, 14, 0));
    assert_eq!(status.resolution.met_at, None);
    assert!(!status.resolution.breached);
    assert!(service_level(&w, claim_id, at(3, 10, 14, 1)).resolution.breached);
    let while_resolved = service_level(&w, claim_id, at(3, 9, 15, 0));
    assert_eq!(while_resolved.resolution.met_at, Some(at(3, 9, 12, 0)));
}

#[test]
fn the_company_sets_its_business_hours_and_service_levels() {
    let mut w = World::new();
    let mut settings = CompanySettings {
        business_hours: BusinessHours {
            opens: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            closes: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            working_days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
            ],
        },
        ..CompanySettings::default()
    };
    settings.service_levels[2] = ServiceLevel {
        priority: ClaimPriority::Normal,
        first_response_hours: 6,
        resolution_hours: 20,
    };
    w.h.ok(ChangeCompanySettings { settings });
    // Friday 13 March 11:00: 1 hour on Friday, 4 on Saturday, 1 on Monday.
    let claim_id = claim_at(&mut w, ClaimPriority::Normal, at(3, 13, 11, 0));

    let status = service_level(&w, claim_id, at(3, 13, 11, 30));

    assert_eq!(status.first_response.due_at, at(3, 16, 9, 0));
    assert_eq!(status.first_response.target_hours, 6);
    // 1 + 4 + 4 × 3 (Monday to Wednesday) + 3 on Thursday.
    assert_eq!(status.resolution.due_at, at(3, 19, 11, 0));
}

#[test]
fn settings_that_cannot_measure_service_levels_are_refused() {
    let mut w = World::new();
    let refused = |w: &mut World, change: &dyn Fn(&mut CompanySettings)| {
        let mut settings = CompanySettings::default();
        change(&mut settings);
        w.h.refused(ChangeCompanySettings { settings })
    };
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
    assert_eq!(
        refused(&mut w, &|s| s.business_hours.closes = nine),
        DomainError::InvalidBusinessHours {
            opens: nine,
            closes: nine,
        }
    );
    assert_eq!(
        refused(&mut w, &|s| s.business_hours.working_days.clear()),
        DomainError::NoWorkingDays
    );
    assert_eq!(
        refused(&mut w, &|s| s.service_levels[0].first_response_hours = 0),
        DomainError::ServiceLevelOutOfRange {
            priority: ClaimPriority::Urgent,
            field: "first_response_hours",
            hours: 0,
        }
    );
    assert_eq!(
        refused(&mut w, &|s| s.service_levels[3].resolution_hours = 9000),
        DomainError::ServiceLevelOutOfRange {
            priority: ClaimPriority::Low,
            field: "resolution_hours",
            hours: 9000,
        }
    );
    assert_eq!(
        refused(&mut w, &|s| {
            s.service_levels.pop();
        }),
        DomainError::ServiceLevelMissing {
            priority: ClaimPriority::Low,
        }
    );
    assert_eq!(
        refused(&mut w, &|s| s.service_levels[1].priority = ClaimPriority::Urgent),
        DomainError::DuplicateServiceLevel {
            priority: ClaimPriority::Urgent,
        }
    );
    assert!(matches!(
        refused(&mut w, &|s| s.claim_reopen_days = 4000),
        DomainError::SettingOutOfRange {
            field: "claim_reopen_days",
            ..
        }
    ));
}

#[test]
fn settings_written_before_claims_read_with_the_defaults() {
    let old: CompanySettings = serde_json::from_str(r#"{"quotation_validity_days": 45}"#).unwrap();

    assert_eq!(old.quotation_validity_days, 45);
    assert_eq!(old.claim_reopen_days, 14);
    assert_eq!(old.business_hours, BusinessHours::default());
    let levels: Vec<(ClaimPriority, u32, u32)> = old
        .service_levels
        .iter()
        .map(|l| (l.priority, l.first_response_hours, l.resolution_hours))
        .collect();
    assert_eq!(
        levels,
        [
            (ClaimPriority::Urgent, 2, 8),
            (ClaimPriority::High, 4, 24),
            (ClaimPriority::Normal, 8, 40),
            (ClaimPriority::Low, 16, 80),
        ]
    );
    let json = serde_json::to_value(BusinessHours::default()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"opens": "09:00:00", "closes": "17:00:00", "working_days": ["Mon", "Tue", "Wed", "Thu", "Fri"]})
    );
}
