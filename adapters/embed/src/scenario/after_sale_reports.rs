//! The projection views of the after-sale reports: returns by reason, product and
//! customer; open claims by type and age; service-level attainment per priority; disputed
//! amounts on hold. Lists by customer, product, type or priority become objects keyed by
//! label (or name), so a scenario can expect one row alone.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use o2c_core::claim::{ClaimPriority, ClaimType};
use o2c_core::rust_decimal::Decimal;
use o2c_projections::{
    Attainment, DisputesReport, OpenClaimsReport, ReturnRate, ReturnsReport, ServiceLevelReport,
};
use serde::Serialize;

use super::labels::Labels;

#[derive(Serialize)]
pub(crate) struct ReasonView {
    reason: String,
    currency: String,
    lines: u64,
    quantity: Decimal,
    value: Decimal,
}

#[derive(Serialize)]
pub(crate) struct ReturnsView {
    from: NaiveDate,
    to: NaiveDate,
    by_reason: Vec<ReasonView>,
    by_product: BTreeMap<String, ReturnRate>,
    by_customer: BTreeMap<String, ReturnRate>,
}

/// Returns over a period: rows by reason (and currency), and returned against shipped by
/// product and by customer label.
pub(crate) fn returns(report: ReturnsReport, labels: &Labels) -> ReturnsView {
    ReturnsView {
        from: report.from,
        to: report.to,
        by_reason: report
            .by_reason
            .into_iter()
            .map(|r| ReasonView {
                reason: r.reason,
                currency: r.currency.as_str().to_string(),
                lines: r.lines,
                quantity: r.quantity,
                value: r.value,
            })
            .collect(),
        by_product: report
            .by_product
            .into_iter()
            .map(|p| (labels.name_of(p.product_id.0), p.figures))
            .collect(),
        by_customer: report
            .by_customer
            .into_iter()
            .map(|c| (labels.name_of(c.customer_id.0), c.figures))
            .collect(),
    }
}

#[derive(Serialize)]
pub(crate) struct TypeView {
    open: u64,
    oldest_days: i64,
    average_days: Decimal,
}

#[derive(Serialize)]
pub(crate) struct OpenClaimView {
    claim: String,
    customer: String,
    claim_type: ClaimType,
    priority: ClaimPriority,
    opened_on: NaiveDate,
    age_days: i64,
}

#[derive(Serialize)]
pub(crate) struct OpenClaimsView {
    as_of: Option<NaiveDate>,
    count: usize,
    by_type: BTreeMap<String, TypeView>,
    claims: Vec<OpenClaimView>,
}

/// The serde name of a unit-like enum value (`DamagedGoods`, `Urgent`).
fn variant_name(value: impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// Claims open on a date: by type name, and one by one oldest first.
pub(crate) fn open_claims(report: OpenClaimsReport, labels: &Labels) -> OpenClaimsView {
    OpenClaimsView {
        as_of: report.as_of,
        count: report.claims.len(),
        by_type: report
            .by_type
            .into_iter()
            .map(|t| {
                (
                    variant_name(t.claim_type),
                    TypeView {
                        open: t.open,
                        oldest_days: t.oldest_days,
                        average_days: t.average_days,
                    },
                )
            })
            .collect(),
        claims: report
            .claims
            .into_iter()
            .map(|c| OpenClaimView {
                claim: labels.name_of(c.claim_id.0),
                customer: labels.name_of(c.customer_id.0),
                claim_type: c.claim_type,
                priority: c.priority,
                opened_on: c.opened_on,
                age_days: c.age_days,
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub(crate) struct PriorityView {
    first_response: Attainment,
    resolution: Attainment,
}

#[derive(Serialize)]
pub(crate) struct ServiceLevelsView {
    from: NaiveDate,
    to: NaiveDate,
    priorities: BTreeMap<String, PriorityView>,
}

/// Attainment over a period, by priority name.
pub(crate) fn service_levels(report: ServiceLevelReport) -> ServiceLevelsView {
    ServiceLevelsView {
        from: report.from,
        to: report.to,
        priorities: report
            .priorities
            .into_iter()
            .map(|p| {
                (
                    variant_name(p.priority),
                    PriorityView {
                        first_response: p.first_response,
                        resolution: p.resolution,
                    },
                )
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub(crate) struct DisputeView {
    customer: String,
    invoice: String,
    claim: String,
    currency: String,
    amount: Decimal,
}

#[derive(Serialize)]
pub(crate) struct DisputesView {
    as_of: Option<NaiveDate>,
    count: usize,
    disputes: Vec<DisputeView>,
    totals: BTreeMap<String, Decimal>,
}

/// Disputed amounts on hold on a date, one by one and totalled per currency.
pub(crate) fn disputes(report: DisputesReport, labels: &Labels) -> DisputesView {
    DisputesView {
        as_of: report.as_of,
        count: report.disputes.len(),
        disputes: report
            .disputes
            .into_iter()
            .map(|d| DisputeView {
                customer: labels.name_of(d.customer_id.0),
                invoice: labels.name_of(d.invoice_id.0),
                claim: labels.name_of(d.claim_id.0),
                currency: d.currency.as_str().to_string(),
                amount: d.amount,
            })
            .collect(),
        totals: report
            .totals
            .into_iter()
            .map(|(currency, amount)| (currency.as_str().to_string(), amount))
            .collect(),
    }
}
