//! The claim life cycle: open → in progress ⇄ waiting on customer → resolved → closed, and
//! reopening within the period; every transition the state does not allow is refused with
//! the state and the command, and changes nothing.

use crate::common::*;
use crate::support::{World, person};
use o2c::claim::{
    AskCustomer, ClaimCustomerAsked, ClaimCustomerReplied, ClaimOpened, ClaimPriority, ClaimReopened,
    ClaimResolution, ClaimResolved, ClaimResponded, ClaimStatus, ClaimType, CloseClaim, MessageKind, Pause,
    PauseKind, RecordCustomerReply, ReopenClaim, ResolveClaim, RespondToClaim,
};
use o2c::company::{ChangeCompanySettings, CompanySettings};
use o2c::ids::ClaimId;
use o2c::{ActorId, Command, DomainError, Event, Role};

fn replacement(claim_id: ClaimId) -> ResolveClaim {
    ResolveClaim {
        claim_id,
        resolution: ClaimResolution::Replacement { order_id: None },
    }
}

fn respond(claim_id: ClaimId) -> RespondToClaim {
    RespondToClaim {
        claim_id,
        message: "We are sorry; we are looking into it.".into(),
    }
}

fn ask(claim_id: ClaimId) -> AskCustomer {
    AskCustomer {
        claim_id,
        question: "Could you send photos of the damage?".into(),
    }
}

fn reply(claim_id: ClaimId) -> RecordCustomerReply {
    RecordCustomerReply {
        claim_id,
        message: "Photos attached.".into(),
    }
}

fn reopen(claim_id: ClaimId) -> ReopenClaim {
    ReopenClaim {
        claim_id,
        reason: "The replacement was damaged too.".into(),
    }
}

/// A claim about a delivered widget order.
fn claim_on_widgets(w: &mut World) -> ClaimId {
    let widget = w.widget;
    let (order_id, _) = delivered(w, &[(widget, "10")]);
    open_about(w, order_id)
}

#[test]
fn opening_records_the_claim_open_with_its_description() {
    let mut w = World::new();
    let widget = w.widget;
    let (order_id, _) = delivered(&mut w, &[(widget, "10")]);
    let command = open_command(
        &mut w,
        about_order(order_id),
        ClaimType::DamagedGoods,
        ClaimPriority::High,
    );
    let claim_id = command.claim_id;
    clock(&mut w.h, at(3, 3, 10, 0));

    let event = only(w.h.ok(command));

    assert_eq!(
        event,
        Event::ClaimOpened(ClaimOpened {
            claim_id,
            customer_id: w.customer,
            about: about_order(order_id),
            claim_type: ClaimType::DamagedGoods,
            priority: ClaimPriority::High,
            description: "Three widgets arrived with cracked housings.".into(),
            document_ids: vec![],
            disputed_amount: None,
        })
    );
    let claim = claim(&w, claim_id);
    assert_eq!(claim.status, ClaimStatus::Open);
    assert_eq!(claim.opened_at, at(3, 3, 10, 0));
    assert_eq!(claim.opened_by, ActorId::new("tester").unwrap());
    assert_eq!(claim.messages.len(), 1);
    assert_eq!(claim.messages[0].kind, MessageKind::Description);
    assert_eq!(claim.first_response_at, None);
}

#[test]
fn the_first_response_puts_the_claim_in_progress() {
    let mut w = World::new();
    let claim_id = claim_on_widgets(&mut w);
    clock(&mut w.h, at(3, 3, 11, 0));

    let event = only(w.h.ok(respond(claim_id)));

    assert_eq!(
        event,
        Event::ClaimResponded(ClaimResponded {
            claim_id,
            message: "We are sorry; we are looking into it.".into(),
        })
    );
    let claim = claim(&w, claim_id);
    assert_eq!(claim.status, ClaimStatus::InProgress);
    assert_eq!(claim.first_response_at, Some(at(3, 3, 11, 0)));
}

#[test]
fn asking_the_customer_waits_and_the_reply_resumes() {
    let mut w = World::new();
    let claim_id = claim_on_widgets(&mut w);
    w.h.ok(respond(claim_id));
    clock(&mut w.h, at(3, 3, 12, 0));

    let asked = only(w.h.ok(ask(claim_id)));

    assert_eq!(
        asked,
        Event::ClaimCustomerAsked(ClaimCustomerAsked {
            claim_id,
            question: "Could you send photos of the damage?".into(),
        })
    );
    assert_eq!(claim(&w, claim_id).status, ClaimStatus::WaitingOnCustomer);
    clock(&mut w.h, at(3, 4, 9, 30));
    let replied = only(w.h.ok(reply(claim_id)));
    assert_eq!(
        replied,
        Event::ClaimCustomerReplied(ClaimCustomerReplied {
            claim_id,
            message: "Photos attached.".into(),
        })
    );
    let claim = claim(&w, claim_id);
    assert_eq!(claim.status, ClaimStatus::InProgress);
    assert_eq!(
        claim.pauses,
        vec![Pause {
            kind: PauseKind::WaitingOnCustomer,
            from: at(3, 3, 12, 0),
            until: Some(at(3, 4, 9, 30)),
        }]
    );
}

#[test]
fn a_question_or_a_resolution_before_any_response_is_the_first_response() {
    let mut w = World::new();
    let asked = claim_on_widgets(&mut w);
    clock(&mut w.h, at(3, 3, 10, 0));
    w.h.ok(ask(asked));
    assert_eq!(claim(&w, asked).first_response_at, Some(at(3, 3, 10, 0)));

    let resolved = claim_on_widgets(&mut w);
    clock(&mut w.h, at(3, 3, 11, 0));
    w.h.ok(replacement(resolved));
    let claim = claim(&w, resolved);
    assert_eq!(claim.first_response_at, Some(at(3, 3, 11, 0)));
    assert_eq!(claim.status, ClaimStatus::Resolved);
}

#[test]
fn resolving_then_closing() {
    let mut w = World::new();
    let claim_id = claim_on_widgets(&mut w);
    w.h.ok(respond(claim_id));
    clock(&mut w.h, at(3, 4, 15, 0));

    let event = only(w.h.ok(replacement(claim_id)));

    assert_eq!(
        event,
        Event::ClaimResolved(ClaimResolved {
            claim_id,
            resolution: ClaimResolution::Replacement { order_id: None },
        })
    );
    let resolved = claim(&w, claim_id);
    assert_eq!(resolved.status, ClaimStatus::Resolved);
    assert_eq!(resolved.resolved_at, Some(at(3, 4, 15, 0)));
    assert_eq!(
        resolved.resolution,
        Some(ClaimResolution::Replacement { order_id: None })
    );
    let closed = only(w.h.ok(CloseClaim { claim_id }));
    assert_eq!(closed, Event::ClaimClosed(o2c::claim::ClaimClosed { claim_id }));
    assert_eq!(claim(&w, claim_id).status, ClaimStatus::Closed);
}

#[test]
fn a_resolution_while_waiting_on_the_customer_ends_the_wait() {
    let mut w = World::new();
    let claim_id = claim_on_widgets(&mut w);
    clock(&mut w.h, at(3, 3, 10, 0));
    w.h.ok(ask(claim_id));
    clock(&mut w.h, at(3, 10, 10, 0));

    w.h.ok(replacement(claim_id));

    let claim = claim(&w, claim_id);
    assert_eq!(
        claim.pauses,
        vec![
            Pause {
                kind: PauseKind::WaitingOnCustomer,
                from: at(3, 3, 10, 0),
                until: Some(at(3, 10, 10, 0)),
            },
            Pause {
                kind: PauseKind::Resolved,
                from: at(3, 10, 10, 0),
                until: None,
            },
        ]
    );
}

#[test]
fn a_closed_claim_reopens_within_the_period_and_is_in_progress_again() {
    let mut w = World::new();
    let claim_id = claim_on_widgets(&mut w);
    clock(&mut w.h, at(3, 4, 15, 0));
    w.h.ok(replacement(claim_id));
    w.h.ok(CloseClaim { claim_id });
    // Resolved on 4 March; 14 days later is 18 March, the last day.
    clock(&mut w.h, at(3, 18, 16, 0));

    let event = only(w.h.ok(reopen(claim_id)));

    assert_eq!(
        event,
        Event::ClaimReopened(ClaimReopened {
            claim_id,
            reason: "The replacement was damaged too.".into(),
        })
    );
    let claim = claim(&w, claim_id);
    assert_eq!(claim.status, ClaimStatus::InProgress);
    assert_eq!(claim.reopened, 1);
    assert_eq!(claim.pauses.last().unwrap().until, Some(at(3, 18, 16, 0)));
    assert_eq!(claim.messages.last().unwrap().kind, MessageKind::Reopening);
}

#[test]
fn reopening_after_the_period_is_refused_with_the_dates() {
    let mut w = World::new();
    let claim_id = claim_on_widgets(&mut w);
    clock(&mut w.h, at(3, 4, 15, 0));
    w.h.ok(replacement(claim_id));
    clock(&mut w.h, at(3, 19, 9, 0));

    assert_eq!(
        w.h.refused(reopen(claim_id)),
        DomainError::ReopenPeriodOver {
            claim_id,
            resolved_on: date(3, 4),
            last_day: date(3, 18),
        }
    );
}

#[test]
fn the_company_sets_the_reopen_period() {
    let mut w = World::new();
    let settings = CompanySettings {
        claim_reopen_days: 30,
        ..CompanySettings::default()
    };
    w.h.ok(ChangeCompanySettings { settings });
    let claim_id = claim_on_widgets(&mut w);
    clock(&mut w.h, at(3, 4, 15, 0));
    w.h.ok(replacement(claim_id));
    clock(&mut w.h, at(4, 3, 9, 0));

    w.h.ok(reopen(claim_id));

    assert_eq!(claim(&w, claim_id).status, ClaimStatus::InProgress);
}

/// Every command that moves a claim, for the claim `claim_id`.
fn every_move(claim_id: ClaimId) -> Vec<Command> {
    vec![
        respond(claim_id).into(),
        ask(claim_id).into(),
        reply(claim_id).into(),
        replacement(claim_id).into(),
        CloseClaim { claim_id }.into(),
        reopen(claim_id).into(),
    ]
}

/// Asserts that exactly the commands named in `allowed` could move the claim from its
/// state: every other one is refused with the state and the command, changing nothing.
fn only_allowed(w: &mut World, claim_id: ClaimId, from: ClaimStatus, allowed: &[&str]) {
    assert_eq!(claim(w, claim_id).status, from);
    for command in every_move(claim_id) {
        let name = command.name();
        if allowed.contains(&name) {
            continue;
        }
        assert_eq!(
            w.h.refused(command),
            DomainError::ClaimTransitionNotAllowed {
                claim_id,
                from,
                command: name,
            },
            "{name} from {from:?}"
        );
    }
}

#[test]
fn every_transition_the_state_does_not_allow_is_refused() {
    let mut w = World::new();
    let claim_id = claim_on_widgets(&mut w);
    only_allowed(
        &mut w,
        claim_id,
        ClaimStatus::Open,
        &["RespondToClaim", "AskCustomer", "ResolveClaim"],
    );
    w.h.ok(respond(claim_id));
    only_allowed(
        &mut w,
        claim_id,
        ClaimStatus::InProgress,
        &["AskCustomer", "ResolveClaim"],
    );
    w.h.ok(ask(claim_id));
    only_allowed(
        &mut w,
        claim_id,
        ClaimStatus::WaitingOnCustomer,
        &["RecordCustomerReply", "ResolveClaim"],
    );
    w.h.ok(reply(claim_id));
    w.h.ok(replacement(claim_id));
    only_allowed(
        &mut w,
        claim_id,
        ClaimStatus::Resolved,
        &["CloseClaim", "ReopenClaim"],
    );
    w.h.ok(CloseClaim { claim_id });
    only_allowed(&mut w, claim_id, ClaimStatus::Closed, &["ReopenClaim"]);
}

#[test]
fn commands_about_an_unknown_claim_or_with_blank_text_are_refused() {
    let mut w = World::new();
    let unknown: ClaimId = w.h.id();
    for command in every_move(unknown) {
        assert_eq!(
            w.h.refused(command),
            DomainError::UnknownClaim { claim_id: unknown }
        );
    }
    let claim_id = claim_on_widgets(&mut w);
    assert!(matches!(
        w.h.refused(RespondToClaim {
            claim_id,
            message: "  ".into(),
        }),
        DomainError::InvalidText { field: "message", .. }
    ));
    assert!(matches!(
        w.h.refused(AskCustomer {
            claim_id,
            question: "photos?\u{7}".into(),
        }),
        DomainError::InvalidText {
            field: "question",
            ..
        }
    ));
}

#[test]
fn customer_service_handles_claims_and_only_its_lead_reopens_them() {
    let mut w = World::new();
    let widget = w.widget;
    let (order_id, _) = delivered(&mut w, &[(widget, "10")]);
    let agent = person("agent", &[Role::CustomerService]);
    let lead = person("lead", &[Role::CustomerServiceLead]);
    let auditor = person("auditor", &[Role::Auditor, Role::SalesRep, Role::BillingClerk]);
    let command = open_command(
        &mut w,
        about_order(order_id),
        ClaimType::WrongItem,
        ClaimPriority::Low,
    );
    let refused = w.h.as_actor(auditor, |h| h.refused(command.clone()));
    assert!(matches!(
        refused,
        DomainError::NotAuthorized {
            command: "OpenClaim",
            ..
        }
    ));
    let claim_id = command.claim_id;
    w.h.as_actor(agent.clone(), |h| {
        h.ok(command);
        h.ok(respond(claim_id));
        h.ok(ask(claim_id));
        h.ok(reply(claim_id));
        h.ok(replacement(claim_id));
        h.ok(CloseClaim { claim_id });
    });
    let refused = w.h.as_actor(agent, |h| h.refused(reopen(claim_id)));
    assert!(matches!(
        refused,
        DomainError::NotAuthorized {
            command: "ReopenClaim",
            ..
        }
    ));
    w.h.as_actor(lead, |h| h.ok(reopen(claim_id)));
    assert_eq!(claim(&w, claim_id).status, ClaimStatus::InProgress);
}
