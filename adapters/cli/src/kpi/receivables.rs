//! The receivables tables of `o2c kpi`: aging by customer, DSO, and the orders waiting on
//! credit.

use std::io::Write;

use o2c::projections::{Aging, Buckets, CreditHolds, Dso};

use super::{Dates, days, heading};
use crate::failure::Failure;
use crate::summary::{Names, hold_reason, listed};
use crate::table::{Align, Table};

/// What each customer has open on posted invoices, by days past due, on the as-of date.
pub fn aging(aging: &Aging, dates: &Dates, names: &Names<'_>, out: &mut dyn Write) -> Result<(), Failure> {
    let report = aging.report(dates.as_of, &Buckets::default());
    heading(
        out,
        &format!(
            "Receivables aging as of {}, days past due (company currency)",
            report.as_of
        ),
    )?;
    if report.rows.is_empty() {
        writeln!(out, "  nothing open")?;
        return Ok(());
    }
    let headers: Vec<String> = std::iter::once("customer".to_string())
        .chain(report.buckets.iter().map(|b| b.to_string()))
        .chain(std::iter::once("total".to_string()))
        .collect();
    let columns: Vec<(&str, Align)> = headers
        .iter()
        .enumerate()
        .map(|(index, h)| (h.as_str(), if index == 0 { Align::Left } else { Align::Right }))
        .collect();
    let mut table = Table::new(&columns);
    for row in &report.rows {
        table.row(
            std::iter::once(names.customer(row.customer_id))
                .chain(row.amounts.iter().map(|a| names.base_amount(*a)))
                .chain(std::iter::once(names.base_amount(row.total)))
                .collect(),
        );
    }
    table.row(
        std::iter::once("all customers".to_string())
            .chain(report.totals.iter().map(|a| names.base_amount(*a)))
            .chain(std::iter::once(names.base_amount(report.total)))
            .collect(),
    );
    table.write(out, 2)?;
    Ok(())
}

/// Days of credit sales the receivable stands for, over the period.
pub fn dso(
    dso: &Dso,
    aging: &Aging,
    dates: &Dates,
    names: &Names<'_>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let report = dso.report(aging, dates.from, dates.to);
    heading(
        out,
        &format!(
            "Days sales outstanding, {} to {} ({} days)",
            report.from, report.to, report.days
        ),
    )?;
    let mut table = Table::new(&[
        ("", Align::Left),
        ("receivable at end", Align::Right),
        ("credit sales", Align::Right),
        ("DSO (days)", Align::Right),
    ]);
    table.row(vec![
        "company".into(),
        names.base_amount(report.receivable),
        names.base_amount(report.credit_sales),
        days(report.dso),
    ]);
    for row in &report.customers {
        table.row(vec![
            names.customer(row.customer_id),
            names.base_amount(row.receivable),
            names.base_amount(row.credit_sales),
            days(row.dso),
        ]);
    }
    table.write(out, 2)?;
    Ok(())
}

/// Orders on credit hold at the end of the as-of date, oldest first.
pub fn credit_holds(
    holds: &CreditHolds,
    dates: &Dates,
    names: &Names<'_>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let open = holds.open(Some(dates.as_of));
    heading(
        out,
        &format!("Orders on credit hold as of {}, oldest first", dates.as_of),
    )?;
    if open.is_empty() {
        writeln!(out, "  none")?;
        return Ok(());
    }
    let mut table = Table::new(&[
        ("order", Align::Left),
        ("customer", Align::Left),
        ("held since", Align::Left),
        ("days", Align::Right),
        ("why", Align::Left),
    ]);
    for hold in &open {
        let why = listed(hold.reasons.iter().map(|r| hold_reason(r, names)));
        table.row(vec![
            names.order(hold.order_id),
            names.customer(hold.customer_id),
            hold.held_since.to_string(),
            hold.age_days.to_string(),
            why,
        ]);
    }
    table.write(out, 2)?;
    Ok(())
}
