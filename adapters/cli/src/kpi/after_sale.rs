//! The after-sale tables of `o2c kpi`: returns by reason, product and customer with their
//! rates, claims open by type and age, service-level attainment per priority, and the
//! disputed amounts on hold.

use std::io::Write;

use o2c::projections::{Attainment, Claims, ReturnRate, Returns};

use super::{Dates, heading, rate};
use crate::failure::Failure;
use crate::format;
use crate::summary::{Names, claim_type, priority, short};
use crate::table::{Align, Table};

/// Goods received back in the period: by reason, then returned against shipped by product
/// and by customer.
pub fn returns(
    returns: &Returns,
    dates: &Dates,
    names: &Names<'_>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let report = returns.report(dates.from, dates.to);
    heading(
        out,
        &format!(
            "Returns received {} to {} (quantities in stock units)",
            report.from, report.to
        ),
    )?;
    if report.by_reason.is_empty() {
        writeln!(out, "  nothing came back in the period")?;
        return Ok(());
    }
    let mut reasons = Table::new(&[
        ("reason", Align::Left),
        ("lines", Align::Right),
        ("quantity", Align::Right),
        ("value", Align::Right),
    ]);
    for row in &report.by_reason {
        reasons.row(vec![
            row.reason.clone(),
            format::count(row.lines),
            format::quantity(row.quantity),
            names.amount(row.value, row.currency),
        ]);
    }
    reasons.write(out, 2)?;
    writeln!(out)?;
    let mut products = rates_table("product");
    for row in &report.by_product {
        products.row(rate_row(names.product(row.product_id), &row.figures));
    }
    products.write(out, 2)?;
    writeln!(out)?;
    let mut customers = rates_table("customer");
    for row in &report.by_customer {
        customers.row(rate_row(names.customer(row.customer_id), &row.figures));
    }
    customers.write(out, 2)?;
    Ok(())
}

fn rates_table(first: &str) -> Table {
    Table::new(&[
        (first, Align::Left),
        ("shipped", Align::Right),
        ("returned", Align::Right),
        ("return rate", Align::Right),
    ])
}

fn rate_row(label: String, figures: &ReturnRate) -> Vec<String> {
    vec![
        label,
        format::quantity(figures.shipped),
        format::quantity(figures.returned),
        rate(figures.rate),
    ]
}

/// Claims open at the end of the as-of date: by type, then one by one, oldest first.
pub fn open_claims(
    claims: &Claims,
    dates: &Dates,
    names: &Names<'_>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let report = claims.open(Some(dates.as_of));
    heading(
        out,
        &format!("Claims open as of {}, by type and age in days", dates.as_of),
    )?;
    if report.claims.is_empty() {
        writeln!(out, "  none")?;
        return Ok(());
    }
    let mut types = Table::new(&[
        ("type", Align::Left),
        ("open", Align::Right),
        ("oldest", Align::Right),
        ("average age", Align::Right),
    ]);
    for row in &report.by_type {
        types.row(vec![
            claim_type(row.claim_type).to_string(),
            format::count(row.open),
            row.oldest_days.to_string(),
            row.average_days.normalize().to_string(),
        ]);
    }
    types.write(out, 2)?;
    writeln!(out)?;
    let mut open = Table::new(&[
        ("claim", Align::Left),
        ("customer", Align::Left),
        ("type", Align::Left),
        ("priority", Align::Left),
        ("opened", Align::Left),
        ("age", Align::Right),
    ]);
    for claim in &report.claims {
        open.row(vec![
            short(claim.claim_id.0),
            names.customer(claim.customer_id),
            claim_type(claim.claim_type).to_string(),
            priority(claim.priority).to_string(),
            claim.opened_on.to_string(),
            claim.age_days.to_string(),
        ]);
    }
    open.write(out, 2)?;
    Ok(())
}

/// First responses and resolutions of the period against their service levels, per
/// priority.
pub fn service_levels(claims: &Claims, dates: &Dates, out: &mut dyn Write) -> Result<(), Failure> {
    let report = claims.service_levels(dates.from, dates.to);
    heading(
        out,
        &format!(
            "Claim service levels, targets met {} to {} (business hours)",
            report.from, report.to
        ),
    )?;
    let measured = |a: &Attainment| a.measured > 0;
    if !report
        .priorities
        .iter()
        .any(|p| measured(&p.first_response) || measured(&p.resolution))
    {
        writeln!(out, "  no claim was answered or resolved in the period")?;
        return Ok(());
    }
    let mut table = Table::new(&[
        ("priority", Align::Left),
        ("first responses", Align::Right),
        ("on time", Align::Right),
        ("rate", Align::Right),
        ("resolutions", Align::Right),
        ("on time", Align::Right),
        ("rate", Align::Right),
    ]);
    for row in &report.priorities {
        table.row(vec![
            priority(row.priority).to_string(),
            format::count(row.first_response.measured),
            format::count(row.first_response.on_time),
            rate(row.first_response.rate),
            format::count(row.resolution.measured),
            format::count(row.resolution.on_time),
            rate(row.resolution.rate),
        ]);
    }
    table.write(out, 2)?;
    Ok(())
}

/// Amounts of pricing disputes on hold at the end of the as-of date.
pub fn disputes(
    claims: &Claims,
    dates: &Dates,
    names: &Names<'_>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let report = claims.disputes(Some(dates.as_of));
    heading(
        out,
        &format!(
            "Disputed amounts on hold as of {} (receivable, left out of dunning)",
            dates.as_of
        ),
    )?;
    if report.disputes.is_empty() {
        writeln!(out, "  none")?;
        return Ok(());
    }
    let mut table = Table::new(&[
        ("customer", Align::Left),
        ("invoice", Align::Left),
        ("claim", Align::Left),
        ("on hold", Align::Right),
    ]);
    for row in &report.disputes {
        table.row(vec![
            names.customer(row.customer_id),
            names.invoice(row.invoice_id),
            short(row.claim_id.0),
            names.amount(row.amount, row.currency),
        ]);
    }
    table.write(out, 2)?;
    for (currency, total) in &report.totals {
        writeln!(out, "  total {currency}: {}", names.amount(*total, *currency))?;
    }
    Ok(())
}
