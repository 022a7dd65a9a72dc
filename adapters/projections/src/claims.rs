//! Customer claims: those open by type and age, service-level attainment per priority,
//! and the disputed amounts on hold.
//!
//! Definitions (also in `docs/projections.md`):
//!
//! - A claim is **open** from the business date it is opened until the date it is
//!   resolved (a resolved or closed claim is not open); a reopened claim is open again
//!   from its reopening. Its **age** on a date is the whole days since it was first
//!   opened. With no date, claims are aged on the latest business date in the log.
//! - **Attainment**: each time a claim gets its first response, and each time it is
//!   resolved, the target is measured at that moment against the claim's service level
//!   (business hours, waiting on the customer excluded, as the book measures it) and
//!   counted as met on time or late, in the period containing that date. Rate = on time ÷
//!   measured, 4 decimals; absent when nothing was measured.
//! - **Disputed amounts on hold**: a pricing dispute's amount while its claim is
//!   unresolved, in the invoice's currency, per customer and invoice; it stays in the
//!   receivables (the aging shows it) but dunning leaves it out.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use o2c_core::claim::service_level::{ServiceLevelTarget, measure};
use o2c_core::claim::{Claim, ClaimPriority, ClaimType};
use o2c_core::{Book, ClaimId, CurrencyCode, CustomerId, InvoiceId, RecordedEvent, StreamKind};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::{Projection, Timeline};

/// Who an open claim is, for the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct ClaimFacts {
    customer_id: CustomerId,
    claim_type: ClaimType,
    priority: ClaimPriority,
    opened_on: NaiveDate,
}

/// One target measured when it was met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Measured {
    date: NaiveDate,
    priority: ClaimPriority,
    target: ServiceLevelTarget,
    on_time: bool,
}

/// Key of a disputed amount on hold.
type HoldKey = (CurrencyCode, CustomerId, InvoiceId, ClaimId);

/// The claims projection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    facts: BTreeMap<ClaimId, ClaimFacts>,
    /// 1 while a claim is open.
    open: Timeline<ClaimId, Decimal>,
    measured: Vec<Measured>,
    /// Claims whose first response was measured.
    responded: BTreeSet<ClaimId>,
    /// The resolution instant last measured, per claim.
    resolved: BTreeMap<ClaimId, DateTime<Utc>>,
    on_hold: Timeline<HoldKey, Decimal>,
    latest: Option<NaiveDate>,
}

/// Open claims of one type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpenClaimsOfType {
    /// The type.
    pub claim_type: ClaimType,
    /// How many are open.
    pub open: u64,
    /// The oldest one's age, days.
    pub oldest_days: i64,
    /// Their average age, days, 2 decimals.
    pub average_days: Decimal,
}

/// One open claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpenClaim {
    /// The claim.
    pub claim_id: ClaimId,
    /// Its customer.
    pub customer_id: CustomerId,
    /// Its type.
    pub claim_type: ClaimType,
    /// Its priority.
    pub priority: ClaimPriority,
    /// When it was first opened.
    pub opened_on: NaiveDate,
    /// Days since then.
    pub age_days: i64,
}

/// Claims open on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpenClaimsReport {
    /// The date they were open on (and aged on).
    pub as_of: Option<NaiveDate>,
    /// By type, in type order.
    pub by_type: Vec<OpenClaimsOfType>,
    /// Every open claim, oldest first.
    pub claims: Vec<OpenClaim>,
}

/// Targets measured, met on time, and the rate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Attainment {
    /// Targets measured (met) in the period.
    pub measured: u64,
    /// Of those, met by their due instant.
    pub on_time: u64,
    /// On time ÷ measured, 4 decimals; none when nothing was measured.
    pub rate: Option<Decimal>,
}

/// Attainment of one priority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PriorityAttainment {
    /// The priority.
    pub priority: ClaimPriority,
    /// Time to first response.
    pub first_response: Attainment,
    /// Time to resolution.
    pub resolution: Attainment,
}

/// Service-level attainment over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceLevelReport {
    /// First day (included).
    pub from: NaiveDate,
    /// Last day (included).
    pub to: NaiveDate,
    /// Per priority, most urgent first.
    pub priorities: Vec<PriorityAttainment>,
}

/// One disputed amount on hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DisputeOnHold {
    /// The customer.
    pub customer_id: CustomerId,
    /// The disputed invoice.
    pub invoice_id: InvoiceId,
    /// The pricing-dispute claim.
    pub claim_id: ClaimId,
    /// The invoice's currency.
    pub currency: CurrencyCode,
    /// The amount on hold.
    pub amount: Decimal,
}

/// Disputed amounts on hold on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DisputesReport {
    /// The date; none for now.
    pub as_of: Option<NaiveDate>,
    /// Each amount on hold, by currency, customer, invoice.
    pub disputes: Vec<DisputeOnHold>,
    /// Totals per currency.
    pub totals: Vec<(CurrencyCode, Decimal)>,
}

impl Projection for Claims {
    const NAME: &'static str = "claims";

    fn apply(&mut self, event: &RecordedEvent, book: &Book) {
        let date = event.business_time.date_naive();
        self.latest = Some(self.latest.map_or(date, |d| d.max(date)));
        if event.stream.kind != StreamKind::Claim {
            return;
        }
        let Some(claim) = book.claim(ClaimId(event.stream.id)) else {
            return;
        };
        self.facts.entry(claim.id).or_insert_with(|| ClaimFacts {
            customer_id: claim.customer_id,
            claim_type: claim.claim_type,
            priority: claim.priority,
            opened_on: claim.opened_at.date_naive(),
        });
        let open = if claim.status.is_unresolved() {
            Decimal::ONE
        } else {
            Decimal::ZERO
        };
        self.open.set(date, claim.id, open);
        self.measure(claim, book, date);
        if let (Some(invoice_id), Some(disputed)) = (claim.about.invoice_id, claim.disputed_amount) {
            let held = claim.amount_on_hold().map_or(Decimal::ZERO, |m| m.amount);
            let key = (disputed.currency, claim.customer_id, invoice_id, claim.id);
            self.on_hold.set(date, key, held);
        }
    }
}

impl Claims {
    /// Records a first response or a resolution the event brought, measured at that moment.
    fn measure(&mut self, claim: &Claim, book: &Book, date: NaiveDate) {
        let Some(company) = book.company() else {
            return;
        };
        let settings = &company.settings;
        let Some(level) = settings
            .service_levels
            .iter()
            .find(|l| l.priority == claim.priority)
        else {
            return;
        };
        let mut record = |target: ServiceLevelTarget, at: DateTime<Utc>| {
            if let Some(status) = measure(claim, level, &settings.business_hours, at) {
                self.measured.push(Measured {
                    date,
                    priority: claim.priority,
                    target,
                    on_time: !status.target(target).breached,
                });
            }
        };
        if let Some(at) = claim.first_response_at
            && !self.responded.contains(&claim.id)
        {
            record(ServiceLevelTarget::FirstResponse, at);
            self.responded.insert(claim.id);
        }
        if let Some(at) = claim.resolved_at
            && !claim.status.is_unresolved()
            && self.resolved.get(&claim.id) != Some(&at)
        {
            record(ServiceLevelTarget::Resolution, at);
            self.resolved.insert(claim.id, at);
        }
    }

    /// Claims open at the end of `as_of` (now when none), by type and one by one, aged
    /// on that date (or on the latest business date in the log).
    pub fn open(&self, as_of: Option<NaiveDate>) -> OpenClaimsReport {
        let on = as_of.or(self.latest).unwrap_or_default();
        let mut claims: Vec<OpenClaim> = self
            .open
            .at(as_of)
            .keys()
            .filter_map(|id| {
                let facts = self.facts.get(id)?;
                Some(OpenClaim {
                    claim_id: *id,
                    customer_id: facts.customer_id,
                    claim_type: facts.claim_type,
                    priority: facts.priority,
                    opened_on: facts.opened_on,
                    age_days: on.signed_duration_since(facts.opened_on).num_days(),
                })
            })
            .collect();
        claims.sort_by_key(|c| (c.opened_on, c.claim_id));
        let mut by_type: BTreeMap<ClaimType, Vec<i64>> = BTreeMap::new();
        for claim in &claims {
            by_type.entry(claim.claim_type).or_default().push(claim.age_days);
        }
        let by_type = by_type
            .into_iter()
            .map(|(claim_type, ages)| OpenClaimsOfType {
                claim_type,
                open: ages.len() as u64,
                oldest_days: ages.iter().copied().max().unwrap_or_default(),
                average_days: (Decimal::from(ages.iter().sum::<i64>()) / Decimal::from(ages.len().max(1)))
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            })
            .collect();
        OpenClaimsReport {
            as_of,
            by_type,
            claims,
        }
    }

    /// Service-level attainment of the targets met from `from` to `to`, per priority.
    pub fn service_levels(&self, from: NaiveDate, to: NaiveDate) -> ServiceLevelReport {
        let attainment = |priority: ClaimPriority, target: ServiceLevelTarget| {
            let measured: Vec<&Measured> = self
                .measured
                .iter()
                .filter(|m| m.priority == priority && m.target == target && from <= m.date && m.date <= to)
                .collect();
            let on_time = measured.iter().filter(|m| m.on_time).count() as u64;
            let count = measured.len() as u64;
            Attainment {
                measured: count,
                on_time,
                rate: (count > 0).then(|| {
                    (Decimal::from(on_time) / Decimal::from(count))
                        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
                }),
            }
        };
        ServiceLevelReport {
            from,
            to,
            priorities: ClaimPriority::ALL
                .into_iter()
                .map(|priority| PriorityAttainment {
                    priority,
                    first_response: attainment(priority, ServiceLevelTarget::FirstResponse),
                    resolution: attainment(priority, ServiceLevelTarget::Resolution),
                })
                .collect(),
        }
    }

    /// Disputed amounts on hold at the end of `as_of` (now when none).
    pub fn disputes(&self, as_of: Option<NaiveDate>) -> DisputesReport {
        let held = self.on_hold.at(as_of);
        let mut totals: BTreeMap<CurrencyCode, Decimal> = BTreeMap::new();
        let disputes = held
            .into_iter()
            .map(|((currency, customer_id, invoice_id, claim_id), amount)| {
                *totals.entry(currency).or_default() += amount;
                DisputeOnHold {
                    customer_id,
                    invoice_id,
                    claim_id,
                    currency,
                    amount,
                }
            })
            .collect();
        DisputesReport {
            as_of,
            disputes,
            totals: totals.into_iter().collect(),
        }
    }

    /// The claims open now, recomputed from the book (for checks).
    pub fn recompute_open(book: &Book) -> Vec<ClaimId> {
        let mut open: Vec<ClaimId> = book
            .claims()
            .filter(|c| c.status.is_unresolved())
            .map(|c| c.id)
            .collect();
        open.sort();
        open
    }
}
