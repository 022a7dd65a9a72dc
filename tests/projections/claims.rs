//! Customer claims: those open by type and age, now and as of earlier dates (a resolved
//! claim is not open, a reopened one is open again and keeps its first opening date);
//! service-level attainment per priority, each first response and each resolution
//! measured in business hours when it happened (waits on the customer and the time a
//! claim stood resolved excluded); disputed amounts on hold while their claim is
//! unresolved. The engine's live reports equal the rebuild's.

use o2c::chrono::NaiveDate;
use o2c::claim::{AskCustomer, ClaimPriority, ClaimSubject, ClaimType, CloseClaim, RecordCustomerReply};
use o2c::ids::ClaimId;
use o2c::money::{CurrencyCode, Money};
use o2c::projections::{
    Attainment, Claims, DisputeOnHold, DisputesReport, OpenClaimsOfType, OpenClaimsReport,
    PriorityAttainment, ServiceLevelReport,
};
use o2c::rust_decimal::Decimal;
use o2c::{CustomerId, InvoiceId, OrderId};

use crate::steps::{
    about_order, at, checked_projections, clock, customer, day, deliver, euro_at, invoiced, on, open_claim,
    order, reopen_claim, resolve_claim, respond,
};
use crate::support::{World, dec, eur, usd};

/// Claims open now or as of a date, from the rebuild, after checking the engine's.
fn open_claims(w: &World, as_of: Option<NaiveDate>) -> OpenClaimsReport {
    let rebuilt = checked_projections(w).claims.state.open(as_of);
    assert_eq!(
        w.h.engine.open_claims(as_of),
        rebuilt,
        "engine.open_claims = rebuild"
    );
    rebuilt
}

/// Attainment over a period, from the rebuild, after checking the engine's.
fn service_levels(w: &World, from: NaiveDate, to: NaiveDate) -> ServiceLevelReport {
    let rebuilt = checked_projections(w).claims.state.service_levels(from, to);
    assert_eq!(
        w.h.engine.claim_service_levels(from, to),
        rebuilt,
        "engine.claim_service_levels = rebuild"
    );
    rebuilt
}

/// Disputed amounts on hold now or as of a date, from the rebuild, after checking the
/// engine's.
fn disputes(w: &World, as_of: Option<NaiveDate>) -> DisputesReport {
    let rebuilt = checked_projections(w).claims.state.disputes(as_of);
    assert_eq!(w.h.engine.disputes(as_of), rebuilt, "engine.disputes = rebuild");
    rebuilt
}

/// The claims of a report with their ages, oldest first.
fn ages(report: &OpenClaimsReport) -> Vec<(ClaimId, i64)> {
    report.claims.iter().map(|c| (c.claim_id, c.age_days)).collect()
}

fn of_type(claim_type: ClaimType, open: u64, oldest_days: i64, average_days: &str) -> OpenClaimsOfType {
    OpenClaimsOfType {
        claim_type,
        open,
        oldest_days,
        average_days: dec(average_days),
    }
}

/// An order of one widget delivered to Acme, to claim about.
fn delivered_widget(w: &mut World) -> OrderId {
    let widget = w.widget;
    let order_id = order(w, &[(widget, "1", None)]);
    deliver(w, order_id);
    order_id
}

fn claim_of(w: &mut World, order_id: OrderId, claim_type: ClaimType, priority: ClaimPriority) -> ClaimId {
    let acme = w.customer;
    open_claim(w, acme, about_order(order_id), (claim_type, priority), None)
}

#[test]
fn claims_are_open_by_type_and_age_until_resolved_and_open_again_when_reopened() {
    let mut w = World::new();
    let order_id = delivered_widget(&mut w);
    clock(&mut w, at(3, 2, 10, 0));
    let a = claim_of(&mut w, order_id, ClaimType::DamagedGoods, ClaimPriority::Normal);
    on(&mut w, 4);
    let b = claim_of(&mut w, order_id, ClaimType::WrongItem, ClaimPriority::High);
    on(&mut w, 5);
    let c = claim_of(&mut w, order_id, ClaimType::DamagedGoods, ClaimPriority::Low);
    on(&mut w, 6);
    resolve_claim(&mut w, a, false);
    on(&mut w, 9);
    reopen_claim(&mut w, a);
    on(&mut w, 10);
    resolve_claim(&mut w, b, false);
    w.h.ok(CloseClaim { claim_id: b });

    assert!(open_claims(&w, Some(day(3, 1))).claims.is_empty());
    assert_eq!(ages(&open_claims(&w, Some(day(3, 3)))), [(a, 1)]);
    let on_the_5th = open_claims(&w, Some(day(3, 5)));
    assert_eq!(ages(&on_the_5th), [(a, 3), (b, 1), (c, 0)]);
    assert_eq!(
        on_the_5th.by_type,
        [
            of_type(ClaimType::DamagedGoods, 2, 3, "1.5"),
            of_type(ClaimType::WrongItem, 1, 1, "1"),
        ]
    );
    assert_eq!(on_the_5th.as_of, Some(day(3, 5)));
    let row = &on_the_5th.claims[1];
    assert_eq!(
        (row.customer_id, row.priority, row.opened_on),
        (w.customer, ClaimPriority::High, day(3, 4))
    );
    assert_eq!(
        ages(&open_claims(&w, Some(day(3, 6)))),
        [(b, 2), (c, 1)],
        "resolved on the 6th"
    );
    // Reopened on the 9th: open again, aged from its first opening.
    let on_the_9th = open_claims(&w, Some(day(3, 9)));
    assert_eq!(ages(&on_the_9th), [(a, 7), (b, 5), (c, 4)]);
    // Now: aged on the latest business date in the log (the 10th); B resolved and closed.
    let now = open_claims(&w, None);
    assert_eq!(ages(&now), [(a, 8), (c, 5)]);
    assert_eq!(now.by_type, [of_type(ClaimType::DamagedGoods, 2, 8, "6.5")]);
    let book = w.h.engine.snapshot();
    let mut listed: Vec<ClaimId> = now.claims.iter().map(|c| c.claim_id).collect();
    listed.sort();
    assert_eq!(listed, Claims::recompute_open(&book));
}

fn attained(measured: u64, on_time: u64, rate: Option<&str>) -> Attainment {
    Attainment {
        measured,
        on_time,
        rate: rate.map(dec),
    }
}

fn priority(
    priority: ClaimPriority,
    first_response: Attainment,
    resolution: Attainment,
) -> PriorityAttainment {
    PriorityAttainment {
        priority,
        first_response,
        resolution,
    }
}

#[test]
fn attainment_per_priority_counts_each_target_on_time_or_late_in_business_hours() {
    let mut w = World::new();
    let order_id = delivered_widget(&mut w);
    // Normal: 8 business hours to the first response, 40 to the resolution. Friday 6 March.
    clock(&mut w, at(3, 6, 15, 0));
    let on_time = claim_of(&mut w, order_id, ClaimType::DamagedGoods, ClaimPriority::Normal);
    clock(&mut w, at(3, 6, 15, 30));
    let late = claim_of(&mut w, order_id, ClaimType::DamagedGoods, ClaimPriority::Normal);
    // Urgent: 2 hours / 8 hours. Monday 9 March 09:00.
    clock(&mut w, at(3, 9, 9, 0));
    let urgent = claim_of(&mut w, order_id, ClaimType::WrongItem, ClaimPriority::Urgent);
    clock(&mut w, at(3, 9, 10, 0));
    w.h.ok(AskCustomer {
        claim_id: urgent,
        question: "Which carton?".into(),
    });
    // Friday 15:00–17:00 and Monday 09:00–15:00: due Monday 15:00 (15:30 for the other).
    clock(&mut w, at(3, 9, 14, 59));
    respond(&mut w, on_time);
    clock(&mut w, at(3, 9, 16, 0));
    respond(&mut w, late);
    clock(&mut w, at(3, 10, 9, 0));
    w.h.ok(RecordCustomerReply {
        claim_id: urgent,
        message: "The second one.".into(),
    });
    // Urgent: 1 hour on Monday, the wait (Monday 10:00 to Tuesday 09:00) not counted,
    // 7 on Tuesday: due Tuesday 16:00. Without the wait it was due Monday 17:00.
    clock(&mut w, at(3, 10, 15, 30));
    resolve_claim(&mut w, urgent, false);
    // Normal: due Friday 13 March 15:00 (15:30).
    clock(&mut w, at(3, 13, 14, 0));
    resolve_claim(&mut w, on_time, false);
    clock(&mut w, at(3, 16, 10, 0));
    resolve_claim(&mut w, late, false);

    let march = service_levels(&w, day(3, 1), day(3, 31));

    assert_eq!(
        march,
        ServiceLevelReport {
            from: day(3, 1),
            to: day(3, 31),
            priorities: vec![
                priority(
                    ClaimPriority::Urgent,
                    attained(1, 1, Some("1")),
                    attained(1, 1, Some("1"))
                ),
                priority(ClaimPriority::High, attained(0, 0, None), attained(0, 0, None)),
                priority(
                    ClaimPriority::Normal,
                    attained(2, 1, Some("0.5")),
                    attained(2, 1, Some("0.5"))
                ),
                priority(ClaimPriority::Low, attained(0, 0, None), attained(0, 0, None)),
            ],
        }
    );
    // Counted in the period of the day each target was met.
    let monday = service_levels(&w, day(3, 9), day(3, 9));
    assert_eq!(monday.priorities[0].first_response, attained(1, 1, Some("1")));
    assert_eq!(monday.priorities[0].resolution, attained(0, 0, None));
    assert_eq!(monday.priorities[2].first_response, attained(2, 1, Some("0.5")));
    assert_eq!(monday.priorities[2].resolution, attained(0, 0, None));
    let later = service_levels(&w, day(3, 16), day(3, 31));
    assert_eq!(later.priorities[2].resolution, attained(1, 0, Some("0")));
    assert_eq!(later.priorities[2].first_response, attained(0, 0, None));
    // The same verdicts as the book's measure.
    let book = w.h.engine.snapshot();
    let measured = book.claim_service_levels(at(3, 31, 0, 0));
    let verdict = |id: ClaimId| {
        let m = measured.iter().find(|m| m.claim_id == id).unwrap();
        (m.first_response.breached, m.resolution.breached)
    };
    assert_eq!(verdict(on_time), (false, false));
    assert_eq!(verdict(late), (true, true));
    assert_eq!(verdict(urgent), (false, false));
    // Measured at the moment it was resolved, the urgent claim was due Tuesday 16:00.
    let at_resolution = book.claim_service_levels(at(3, 10, 15, 30));
    let urgent_due = at_resolution.iter().find(|m| m.claim_id == urgent).unwrap();
    assert_eq!(urgent_due.resolution.due_at, at(3, 10, 16, 0));
}

#[test]
fn a_reopened_claim_is_measured_again_at_its_next_resolution() {
    let mut w = World::new();
    let order_id = delivered_widget(&mut w);
    clock(&mut w, at(3, 2, 10, 0));
    let claim_id = claim_of(&mut w, order_id, ClaimType::ShortShipment, ClaimPriority::Normal);
    clock(&mut w, at(3, 2, 11, 0));
    resolve_claim(&mut w, claim_id, false); // first response and resolution: 1 hour
    clock(&mut w, at(3, 4, 9, 0));
    reopen_claim(&mut w, claim_id);
    // 39 hours left from Wednesday 09:00: Wednesday, Thursday, Friday, Monday, and 7 on
    // Tuesday 10 March: due 16:00 then (the two days it stood resolved do not count).
    clock(&mut w, at(3, 11, 10, 0));
    resolve_claim(&mut w, claim_id, false);

    let march = service_levels(&w, day(3, 1), day(3, 31));

    assert_eq!(
        march.priorities[2],
        priority(
            ClaimPriority::Normal,
            attained(1, 1, Some("1")),
            attained(2, 1, Some("0.5"))
        )
    );
    assert_eq!(
        service_levels(&w, day(3, 2), day(3, 2)).priorities[2].resolution,
        attained(1, 1, Some("1"))
    );
    assert_eq!(
        service_levels(&w, day(3, 11), day(3, 11)).priorities[2].resolution,
        attained(1, 0, Some("0"))
    );
    let book = w.h.engine.snapshot();
    let measured = book.claim_service_levels(at(3, 11, 12, 0));
    assert_eq!(measured[0].resolution.due_at, at(3, 10, 16, 0));
    assert!(measured[0].resolution.breached);
    // Open from its reopening until its second resolution.
    assert!(open_claims(&w, Some(day(3, 3))).claims.is_empty());
    assert_eq!(ages(&open_claims(&w, Some(day(3, 4)))), [(claim_id, 2)]);
    assert!(open_claims(&w, None).claims.is_empty());
}

fn about_invoice(invoice_id: InvoiceId) -> ClaimSubject {
    ClaimSubject {
        invoice_id: Some(invoice_id),
        ..ClaimSubject::default()
    }
}

fn dispute(w: &mut World, customer_id: CustomerId, invoice_id: InvoiceId, amount: Money) -> ClaimId {
    open_claim(
        w,
        customer_id,
        about_invoice(invoice_id),
        (ClaimType::PricingDispute, ClaimPriority::Normal),
        Some(amount),
    )
}

fn held(customer_id: CustomerId, invoice_id: InvoiceId, claim_id: ClaimId, amount: Money) -> DisputeOnHold {
    DisputeOnHold {
        customer_id,
        invoice_id,
        claim_id,
        currency: amount.currency,
        amount: amount.amount,
    }
}

/// The rows of a disputes report in its order (currency, customer, invoice, claim).
fn sorted(mut rows: Vec<DisputeOnHold>) -> Vec<DisputeOnHold> {
    rows.sort_by_key(|r| (r.currency, r.customer_id, r.invoice_id, r.claim_id));
    rows
}

fn totals(pairs: &[(&str, &str)]) -> Vec<(CurrencyCode, Decimal)> {
    pairs
        .iter()
        .map(|(code, amount)| (CurrencyCode::new(code).unwrap(), dec(amount)))
        .collect()
}

#[test]
fn disputed_amounts_are_on_hold_while_their_claims_are_unresolved() {
    let mut w = World::new();
    let (widget, gadget, acme) = (w.widget, w.gadget, w.customer);
    let beta = customer(&mut w, "Beta", 30, None);
    euro_at(&mut w, day(3, 1), "1.25");
    // 03-02: Acme 100.00 USD and 80.00 EUR, Beta 25.00 USD.
    let acme_usd = invoiced(&mut w, acme, &[(widget, "10")], None);
    let acme_eur = invoiced(&mut w, acme, &[(widget, "10")], CurrencyCode::new("EUR").ok());
    let beta_usd = invoiced(&mut w, beta, &[(gadget, "10")], None);
    on(&mut w, 3);
    let first = dispute(&mut w, acme, acme_usd, usd("30.00"));
    // A claim without a disputed amount holds nothing.
    open_claim(
        &mut w,
        acme,
        about_invoice(acme_usd),
        (ClaimType::DamagedGoods, ClaimPriority::Normal),
        None,
    );
    on(&mut w, 5);
    let second = dispute(&mut w, beta, beta_usd, usd("25.00"));
    let euro = dispute(&mut w, acme, acme_eur, eur("20.00"));
    on(&mut w, 9);
    resolve_claim(&mut w, first, true);
    on(&mut w, 10);
    reopen_claim(&mut w, first);
    on(&mut w, 12);
    resolve_claim(&mut w, first, true);

    assert!(disputes(&w, Some(day(3, 2))).disputes.is_empty());
    assert_eq!(
        disputes(&w, Some(day(3, 3))),
        DisputesReport {
            as_of: Some(day(3, 3)),
            disputes: vec![held(acme, acme_usd, first, usd("30.00"))],
            totals: totals(&[("USD", "30.00")]),
        }
    );
    let all_three = sorted(vec![
        held(acme, acme_usd, first, usd("30.00")),
        held(beta, beta_usd, second, usd("25.00")),
        held(acme, acme_eur, euro, eur("20.00")),
    ]);
    let on_the_5th = disputes(&w, Some(day(3, 5)));
    assert_eq!(on_the_5th.disputes, all_three);
    assert_eq!(on_the_5th.totals, totals(&[("EUR", "20.00"), ("USD", "55.00")]));
    let two = sorted(vec![
        held(beta, beta_usd, second, usd("25.00")),
        held(acme, acme_eur, euro, eur("20.00")),
    ]);
    assert_eq!(disputes(&w, Some(day(3, 9))).disputes, two, "resolved on the 9th");
    assert_eq!(
        disputes(&w, Some(day(3, 10))).disputes,
        all_three,
        "reopened on the 10th"
    );
    let now = disputes(&w, None);
    assert_eq!(now.disputes, two);
    assert_eq!(now.totals, totals(&[("EUR", "20.00"), ("USD", "25.00")]));
    // The invoices hold the same amounts.
    let disputed = |invoice_id| w.h.engine.invoice(invoice_id).unwrap().disputed;
    assert_eq!(
        [disputed(acme_usd), disputed(beta_usd), disputed(acme_eur)],
        [dec("0"), dec("25.00"), dec("20.00")]
    );
}
