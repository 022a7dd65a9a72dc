//! The sales and fulfilment tables of `o2c kpi`: order backlog, fill rate, on-time
//! shipment and cycle times.

use std::io::Write;

use o2c::projections::{
    Backlog, BacklogRow, CycleTimes, Durations, FillRate, FillRates, OnTime, OnTimeFigures,
};

use super::{Dates, days, heading, rate};
use crate::failure::Failure;
use crate::format;
use crate::summary::Names;
use crate::table::{Align, Table};

/// Open confirmed order lines as of the as-of date, orders on hold apart.
pub fn backlog(
    backlog: &Backlog,
    dates: &Dates,
    names: &Names<'_>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let report = backlog.report(Some(dates.as_of));
    heading(
        out,
        &format!("Order backlog as of {} (confirmed, not yet shipped)", dates.as_of),
    )?;
    let rows = report
        .open
        .iter()
        .map(|row| (row, ""))
        .chain(report.on_hold.iter().map(|row| (row, "on hold")));
    let mut table = Table::new(&[
        ("customer", Align::Left),
        ("product", Align::Left),
        ("warehouse", Align::Left),
        ("promised week", Align::Left),
        ("lines", Align::Right),
        ("open quantity", Align::Right),
        ("open value", Align::Right),
        ("", Align::Left),
    ]);
    for (row, hold) in rows {
        table.row(backlog_row(row, hold, names));
    }
    if table.is_empty() {
        writeln!(out, "  nothing open")?;
    } else {
        table.write(out, 2)?;
    }
    for total in &report.totals {
        writeln!(
            out,
            "  total {}: open {}, on hold {}",
            total.currency,
            names.amount(total.open_value, total.currency),
            names.amount(total.on_hold_value, total.currency)
        )?;
    }
    Ok(())
}

fn backlog_row(row: &BacklogRow, hold: &str, names: &Names<'_>) -> Vec<String> {
    vec![
        names.customer(row.customer_id),
        names.product(row.product_id),
        names.warehouse(row.warehouse_id),
        row.promised_week.map_or_else(|| "none".into(), |w| w.to_string()),
        row.lines.to_string(),
        format!(
            "{} {}",
            format::quantity(row.quantity),
            names.product_unit(row.product_id)
        ),
        names.amount(row.value, row.currency),
        hold.to_string(),
    ]
}

/// How much of each order left in its first shipment, over the period.
pub fn fill_rate(
    fill_rate: &FillRate,
    dates: &Dates,
    names: &Names<'_>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let report = fill_rate.report(dates.from, dates.to);
    heading(
        out,
        &format!("Fill rate of first shipments, {} to {}", report.from, report.to),
    )?;
    let mut table = Table::new(&[
        ("", Align::Left),
        ("orders", Align::Right),
        ("complete", Align::Right),
        ("order rate", Align::Right),
        ("lines", Align::Right),
        ("line rate", Align::Right),
        ("units ordered", Align::Right),
        ("units shipped", Align::Right),
        ("unit rate", Align::Right),
    ]);
    table.row(fill_row("all orders".into(), &report.overall));
    for customer in &report.by_customer {
        table.row(fill_row(names.customer(customer.customer_id), &customer.rates));
    }
    if report.overall.orders == 0 {
        writeln!(out, "  no order had its first shipment in the period")?;
        return Ok(());
    }
    table.write(out, 2)?;
    Ok(())
}

fn fill_row(label: String, rates: &FillRates) -> Vec<String> {
    vec![
        label,
        rates.orders.to_string(),
        rates.orders_complete.to_string(),
        rate(rates.order_rate),
        rates.lines.to_string(),
        rate(rates.line_rate),
        format::quantity(rates.units_ordered),
        format::quantity(rates.units_first_shipment),
        rate(rates.unit_rate),
    ]
}

/// Lines fully shipped in the period against their promised dates.
pub fn on_time(
    on_time: &OnTime,
    dates: &Dates,
    names: &Names<'_>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let report = on_time.report(dates.from, dates.to);
    heading(
        out,
        &format!(
            "On-time shipment of lines shipped in full, {} to {}",
            report.from, report.to
        ),
    )?;
    if report.overall.lines == 0 && report.overall.without_promise == 0 {
        writeln!(out, "  no line was shipped in full in the period")?;
        return Ok(());
    }
    let mut table = Table::new(&[
        ("", Align::Left),
        ("lines promised", Align::Right),
        ("on time", Align::Right),
        ("late", Align::Right),
        ("on-time rate", Align::Right),
        ("average days late", Align::Right),
        ("without promise", Align::Right),
    ]);
    table.row(on_time_row("all lines".into(), &report.overall));
    for customer in &report.by_customer {
        table.row(on_time_row(
            names.customer(customer.customer_id),
            &customer.figures,
        ));
    }
    table.write(out, 2)?;
    Ok(())
}

fn on_time_row(label: String, figures: &OnTimeFigures) -> Vec<String> {
    vec![
        label,
        figures.lines.to_string(),
        figures.on_time.to_string(),
        figures.late.to_string(),
        rate(figures.on_time_rate),
        days(figures.average_days_late),
        figures.without_promise.to_string(),
    ]
}

/// How long each step of the flow took, over the cycles that ended in the period.
pub fn cycle_times(cycle_times: &CycleTimes, dates: &Dates, out: &mut dyn Write) -> Result<(), Failure> {
    let report = cycle_times.report(dates.from, dates.to);
    heading(
        out,
        &format!(
            "Cycle times in days, cycles ended {} to {}",
            report.from, report.to
        ),
    )?;
    let mut table = Table::new(&[
        ("step", Align::Left),
        ("cycles", Align::Right),
        ("average", Align::Right),
        ("90th percentile", Align::Right),
    ]);
    let steps: [(&str, &Durations); 3] = [
        (
            "order confirmed -> shipped in full",
            &report.confirmation_to_shipped,
        ),
        ("shipment -> invoiced", &report.shipment_to_invoiced),
        ("invoice posted -> paid", &report.invoice_to_paid),
    ];
    for (step, durations) in steps {
        table.row(vec![
            step.to_string(),
            durations.count.to_string(),
            days(durations.average_days),
            days(durations.p90_days),
        ]);
    }
    table.write(out, 2)?;
    Ok(())
}
