//! Projection queries: the read models of `o2c::projections` (backlog, fill rate, on-time
//! shipment, cycle times, receivables aging, DSO, credit holds, returns, open claims,
//! claim service levels, disputes), rebuilt from the scenario's log and shown with ids as
//! labels (the after-sale views are in [`super::after_sale_reports`]). Lists by customer or product become
//! objects keyed by label, so a scenario can expect one customer's figures alone.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use o2c_core::rust_decimal::Decimal;
use o2c_core::uuid::Uuid;
use o2c_projections::{
    AgingReport, BacklogReport, BacklogRow, Buckets, CycleTimeReport, FillRateReport, FillRates,
    OnTimeFigures, OnTimeReport,
};
use serde::Serialize;
use serde_json::{Map, Value};

use super::after_sale_reports;
use super::labels::Labels;
use super::query::check_keys;
use super::views::reason_name;
use crate::Engine;

/// The projection query kinds.
pub(crate) const KINDS: &[&str] = &[
    "backlog",
    "fill_rate",
    "on_time",
    "cycle_times",
    "aging",
    "dso",
    "credit_holds",
    "returns",
    "open_claims",
    "claim_service_levels",
    "disputes",
];

/// A projection query with its dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ProjectionQuery {
    /// The open order lines, now or as of the end of a date.
    Backlog { as_of: Option<NaiveDate> },
    /// Fill rates of the orders first shipped in a period.
    FillRate { from: NaiveDate, to: NaiveDate },
    /// On-time shipment of the lines fully shipped in a period.
    OnTime { from: NaiveDate, to: NaiveDate },
    /// Cycle times of the cycles that ended in a period.
    CycleTimes { from: NaiveDate, to: NaiveDate },
    /// Open receivables by customer and bucket on a date (default: the current business
    /// date), with bucket limits in days past due (default 30, 60, 90).
    Aging {
        as_of: Option<NaiveDate>,
        buckets: Option<Vec<u32>>,
    },
    /// Days sales outstanding over a period.
    Dso { from: NaiveDate, to: NaiveDate },
    /// Orders on credit hold now or at the end of a date.
    CreditHolds { as_of: Option<NaiveDate> },
    /// Returns received in a period, by reason, product and customer.
    Returns { from: NaiveDate, to: NaiveDate },
    /// Claims open now or at the end of a date.
    OpenClaims { as_of: Option<NaiveDate> },
    /// Service-level attainment of the claim targets met in a period.
    ClaimServiceLevels { from: NaiveDate, to: NaiveDate },
    /// Disputed amounts on hold now or at the end of a date.
    Disputes { as_of: Option<NaiveDate> },
}

type FieldError = (String, String);

fn date(map: &Map<String, Value>, key: &str, field: &str) -> Result<Option<NaiveDate>, FieldError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| (format!("{field}.{key}"), "must be a date (2026-03-02)".into())),
        Some(_) => Err((format!("{field}.{key}"), "must be a date (2026-03-02)".into())),
    }
}

fn required_date(map: &Map<String, Value>, key: &str, field: &str) -> Result<NaiveDate, FieldError> {
    date(map, key, field)?.ok_or_else(|| (format!("{field}.{key}"), "required: a date (2026-03-02)".into()))
}

fn period(map: &Map<String, Value>, field: &str) -> Result<(NaiveDate, NaiveDate), FieldError> {
    check_keys(map, field, &["from", "to"])?;
    Ok((
        required_date(map, "from", field)?,
        required_date(map, "to", field)?,
    ))
}

/// Reads a projection query's arguments (an object; `{}` for the defaults).
pub(crate) fn parse(kind: &str, arg: &Value, field: &str) -> Result<(ProjectionQuery, String), FieldError> {
    let Value::Object(map) = arg else {
        return Err((
            field.to_string(),
            "must be an object of arguments ({} for none)".into(),
        ));
    };
    let as_of = |map: &Map<String, Value>| -> Result<Option<NaiveDate>, FieldError> {
        check_keys(map, field, &["as_of"])?;
        date(map, "as_of", field)
    };
    let dated = |as_of: Option<NaiveDate>| match as_of {
        Some(date) => format!("{kind} as of {date}"),
        None => kind.to_string(),
    };
    let between = |from: NaiveDate, to: NaiveDate| format!("{kind} {from} to {to}");
    Ok(match kind {
        "backlog" => {
            let as_of = as_of(map)?;
            (ProjectionQuery::Backlog { as_of }, dated(as_of))
        }
        "credit_holds" => {
            let as_of = as_of(map)?;
            (ProjectionQuery::CreditHolds { as_of }, dated(as_of))
        }
        "open_claims" => {
            let as_of = as_of(map)?;
            (ProjectionQuery::OpenClaims { as_of }, dated(as_of))
        }
        "disputes" => {
            let as_of = as_of(map)?;
            (ProjectionQuery::Disputes { as_of }, dated(as_of))
        }
        "aging" => {
            check_keys(map, field, &["as_of", "buckets"])?;
            let as_of = date(map, "as_of", field)?;
            let buckets = match map.get("buckets") {
                None => None,
                Some(value) => {
                    let limits = serde_json::from_value::<Vec<u32>>(value.clone())
                        .map_err(|e| (format!("{field}.buckets"), e.to_string()))?;
                    if Buckets::new(limits.clone()).is_none() {
                        return Err((
                            format!("{field}.buckets"),
                            "limits must be above zero and rising".into(),
                        ));
                    }
                    Some(limits)
                }
            };
            (ProjectionQuery::Aging { as_of, buckets }, dated(as_of))
        }
        "fill_rate" | "on_time" | "cycle_times" | "dso" | "returns" | "claim_service_levels" => {
            let (from, to) = period(map, field)?;
            let query = match kind {
                "fill_rate" => ProjectionQuery::FillRate { from, to },
                "on_time" => ProjectionQuery::OnTime { from, to },
                "cycle_times" => ProjectionQuery::CycleTimes { from, to },
                "returns" => ProjectionQuery::Returns { from, to },
                "claim_service_levels" => ProjectionQuery::ClaimServiceLevels { from, to },
                _ => ProjectionQuery::Dso { from, to },
            };
            (query, between(from, to))
        }
        other => return Err((format!("query.{other}"), "unknown projection".into())),
    })
}

fn to_value(view: impl Serialize) -> Result<Value, String> {
    serde_json::to_value(view).map_err(|e| format!("the view could not be encoded: {e}"))
}

#[derive(Serialize)]
struct BacklogRowView {
    customer: String,
    product: String,
    warehouse: String,
    promised_week: Option<String>,
    currency: String,
    lines: u64,
    quantity: Decimal,
    value: Decimal,
}

#[derive(Serialize)]
struct BacklogTotalView {
    open_value: Decimal,
    on_hold_value: Decimal,
}

#[derive(Serialize)]
struct BacklogView {
    as_of: Option<NaiveDate>,
    open: Vec<BacklogRowView>,
    on_hold: Vec<BacklogRowView>,
    totals: BTreeMap<String, BacklogTotalView>,
}

fn backlog_view(report: BacklogReport, labels: &Labels) -> BacklogView {
    let row = |r: &BacklogRow| BacklogRowView {
        customer: labels.name_of(r.customer_id.0),
        product: labels.name_of(r.product_id.0),
        warehouse: labels.name_of(r.warehouse_id.0),
        promised_week: r.promised_week.map(|w| w.to_string()),
        currency: r.currency.as_str().to_string(),
        lines: r.lines,
        quantity: r.quantity,
        value: r.value,
    };
    BacklogView {
        as_of: report.as_of,
        open: report.open.iter().map(row).collect(),
        on_hold: report.on_hold.iter().map(row).collect(),
        totals: report
            .totals
            .iter()
            .map(|t| {
                (
                    t.currency.as_str().to_string(),
                    BacklogTotalView {
                        open_value: t.open_value,
                        on_hold_value: t.on_hold_value,
                    },
                )
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct RatesView<T> {
    from: NaiveDate,
    to: NaiveDate,
    overall: T,
    by_customer: BTreeMap<String, T>,
    by_product: BTreeMap<String, T>,
}

/// A period's figures, overall and by customer and product (ids shown as labels).
fn rates_view<T>(
    (from, to): (NaiveDate, NaiveDate),
    overall: T,
    by_customer: impl Iterator<Item = (Uuid, T)>,
    by_product: impl Iterator<Item = (Uuid, T)>,
    labels: &Labels,
) -> RatesView<T> {
    let named = |(id, figures): (Uuid, T)| (labels.name_of(id), figures);
    RatesView {
        from,
        to,
        overall,
        by_customer: by_customer.map(named).collect(),
        by_product: by_product.map(named).collect(),
    }
}

fn fill_rate_view(r: FillRateReport, labels: &Labels) -> RatesView<FillRates> {
    let customers = r.by_customer.into_iter().map(|c| (c.customer_id.0, c.rates));
    let products = r.by_product.into_iter().map(|p| (p.product_id.0, p.rates));
    rates_view((r.from, r.to), r.overall, customers, products, labels)
}

fn on_time_view(r: OnTimeReport, labels: &Labels) -> RatesView<OnTimeFigures> {
    let customers = r.by_customer.into_iter().map(|c| (c.customer_id.0, c.figures));
    let products = r.by_product.into_iter().map(|p| (p.product_id.0, p.figures));
    rates_view((r.from, r.to), r.overall, customers, products, labels)
}

#[derive(Serialize)]
struct AgingView {
    as_of: NaiveDate,
    buckets: Vec<String>,
    customers: BTreeMap<String, BTreeMap<String, Decimal>>,
    totals: BTreeMap<String, Decimal>,
}

/// Bucket name → amount, plus `total`.
fn by_bucket(names: &[String], amounts: &[Decimal], total: Decimal) -> BTreeMap<String, Decimal> {
    let mut out: BTreeMap<String, Decimal> = names.iter().cloned().zip(amounts.iter().copied()).collect();
    out.insert("total".into(), total);
    out
}

fn aging_view(report: AgingReport, labels: &Labels) -> AgingView {
    let names: Vec<String> = report.buckets.iter().map(ToString::to_string).collect();
    AgingView {
        as_of: report.as_of,
        customers: report
            .rows
            .iter()
            .map(|r| {
                (
                    labels.name_of(r.customer_id.0),
                    by_bucket(&names, &r.amounts, r.total),
                )
            })
            .collect(),
        totals: by_bucket(&names, &report.totals, report.total),
        buckets: names,
    }
}

#[derive(Serialize)]
struct DsoCustomerView {
    receivable: Decimal,
    credit_sales: Decimal,
    dso: Option<Decimal>,
}

#[derive(Serialize)]
struct DsoView {
    from: NaiveDate,
    to: NaiveDate,
    days: u32,
    receivable: Decimal,
    credit_sales: Decimal,
    dso: Option<Decimal>,
    customers: BTreeMap<String, DsoCustomerView>,
}

#[derive(Serialize)]
struct CreditHoldView {
    order: String,
    customer: String,
    held_since: NaiveDate,
    age_days: i64,
    reasons: Vec<&'static str>,
    exposure: Option<Decimal>,
    credit_limit: Option<Decimal>,
}

#[derive(Serialize)]
struct CreditHoldsView {
    count: usize,
    orders: Vec<CreditHoldView>,
}

/// Answers a projection query; `today` is the default date of an aging.
pub(crate) fn answer(
    query: &ProjectionQuery,
    engine: &Engine,
    labels: &Labels,
    today: NaiveDate,
) -> Result<Value, String> {
    match query {
        ProjectionQuery::Backlog { as_of } => to_value(backlog_view(engine.backlog(*as_of), labels)),
        ProjectionQuery::FillRate { from, to } => {
            to_value(fill_rate_view(engine.fill_rate(*from, *to), labels))
        }
        ProjectionQuery::OnTime { from, to } => to_value(on_time_view(engine.on_time(*from, *to), labels)),
        ProjectionQuery::CycleTimes { from, to } => {
            let report: CycleTimeReport = engine.cycle_times(*from, *to);
            to_value(report)
        }
        ProjectionQuery::Aging { as_of, buckets } => {
            let buckets = match buckets {
                Some(limits) => Buckets::new(limits.clone()).ok_or("invalid aging buckets")?,
                None => Buckets::default(),
            };
            let report = engine.aging(as_of.unwrap_or(today), &buckets);
            to_value(aging_view(report, labels))
        }
        ProjectionQuery::Dso { from, to } => {
            let report = engine.dso(*from, *to);
            to_value(DsoView {
                from: report.from,
                to: report.to,
                days: report.days,
                receivable: report.receivable,
                credit_sales: report.credit_sales,
                dso: report.dso,
                customers: report
                    .customers
                    .iter()
                    .map(|r| {
                        (
                            labels.name_of(r.customer_id.0),
                            DsoCustomerView {
                                receivable: r.receivable,
                                credit_sales: r.credit_sales,
                                dso: r.dso,
                            },
                        )
                    })
                    .collect(),
            })
        }
        ProjectionQuery::CreditHolds { as_of } => {
            let orders: Vec<CreditHoldView> = engine
                .credit_holds(*as_of)
                .iter()
                .map(|h| CreditHoldView {
                    order: labels.name_of(h.order_id.0),
                    customer: labels.name_of(h.customer_id.0),
                    held_since: h.held_since,
                    age_days: h.age_days,
                    reasons: h.reasons.iter().map(reason_name).collect(),
                    exposure: h.exposure.map(|m| m.amount),
                    credit_limit: h.credit_limit.map(|m| m.amount),
                })
                .collect();
            to_value(CreditHoldsView {
                count: orders.len(),
                orders,
            })
        }
        ProjectionQuery::Returns { from, to } => {
            to_value(after_sale_reports::returns(engine.returns(*from, *to), labels))
        }
        ProjectionQuery::OpenClaims { as_of } => to_value(after_sale_reports::open_claims(
            engine.open_claims(*as_of),
            labels,
        )),
        ProjectionQuery::ClaimServiceLevels { from, to } => to_value(after_sale_reports::service_levels(
            engine.claim_service_levels(*from, *to),
        )),
        ProjectionQuery::Disputes { as_of } => {
            to_value(after_sale_reports::disputes(engine.disputes(*as_of), labels))
        }
    }
}
