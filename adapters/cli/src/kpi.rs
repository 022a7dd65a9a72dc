//! `o2c kpi`: the projections as tables a manager reads: the order backlog, fill rate,
//! on-time shipment, cycle times, receivables aging, DSO, open credit holds, returns and
//! their rates, open claims, claim service levels and disputed amounts on hold, as of a
//! business date, with rates over a period ending on it.
//!
//! The figures are the engine's projections, folded over the log when it opens (stored
//! projections resume from their checkpoint). Dates are business dates: the default as-of
//! date is the latest business date in the log, not the machine's clock, so the same log
//! always prints the same figures.

mod after_sale;
mod receivables;
mod sales;

use std::io::Write;
use std::path::Path;

use o2c::chrono::{Days, NaiveDate};
use o2c::projections::Projections;
use o2c::rust_decimal::Decimal;

use crate::data;
use crate::failure::Failure;
use crate::summary::Names;

/// The dates asked for on the command line.
#[derive(Clone, Copy, Debug)]
pub struct Period {
    /// The date the figures are taken at.
    pub as_of: Option<NaiveDate>,
    /// First day of the period for rates.
    pub from: Option<NaiveDate>,
    /// Last day of the period for rates.
    pub to: Option<NaiveDate>,
}

/// The dates the report uses, defaults filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dates {
    /// The date the figures are taken at.
    pub as_of: NaiveDate,
    /// First day of the period for rates (included).
    pub from: NaiveDate,
    /// Last day of the period for rates (included).
    pub to: NaiveDate,
}

/// Days in the default period: 30, ending on the as-of date.
const DEFAULT_PERIOD_DAYS: u64 = 30;

impl Period {
    /// Fills in the defaults: as of the latest business date, over the 30 days ending on
    /// the as-of date (or on `--to`).
    pub fn resolve(self, latest: NaiveDate) -> Result<Dates, Failure> {
        let as_of = self.as_of.unwrap_or(latest);
        let to = self.to.unwrap_or(as_of);
        let from = match self.from {
            Some(from) => from,
            None => to
                .checked_sub_days(Days::new(DEFAULT_PERIOD_DAYS - 1))
                .ok_or_else(|| Failure::new(format!("no period of 30 days ends on {to}")))?,
        };
        if from > to {
            return Err(Failure::new(format!(
                "the period starts on {from}, after it ends on {to}"
            )));
        }
        Ok(Dates { as_of, from, to })
    }
}

/// Prints every KPI table for the data directory `dir`.
pub fn run(dir: &Path, period: Period, out: &mut dyn Write) -> Result<(), Failure> {
    let engine = data::open_engine(dir)?;
    let head = engine.head();
    let Some(last) = engine.events(head.position, 1)?.into_iter().next() else {
        return Err(Failure::new(format!(
            "the log in {} is empty: there are no figures yet",
            dir.display()
        )));
    };
    let dates = period.resolve(last.business_time.date_naive())?;
    engine.read(|book| {
        engine.projections(|projections| {
            let names = Names::new(book);
            let company = book.company().map(|c| c.name.clone()).unwrap_or_default();
            writeln!(
                out,
                "Key figures of {company} as of {} (log position {}); rates over {} to {}",
                dates.as_of, head.position, dates.from, dates.to
            )?;
            write_all(projections, &dates, &names, out)
        })
    })
}

fn write_all(
    projections: &Projections,
    dates: &Dates,
    names: &Names<'_>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    sales::backlog(&projections.backlog.state, dates, names, out)?;
    sales::fill_rate(&projections.fill_rate.state, dates, names, out)?;
    sales::on_time(&projections.on_time.state, dates, names, out)?;
    sales::cycle_times(&projections.cycle_times.state, dates, out)?;
    receivables::aging(&projections.aging.state, dates, names, out)?;
    receivables::dso(
        &projections.dso.state,
        &projections.aging.state,
        dates,
        names,
        out,
    )?;
    receivables::credit_holds(&projections.credit_holds.state, dates, names, out)?;
    after_sale::returns(&projections.returns.state, dates, names, out)?;
    after_sale::open_claims(&projections.claims.state, dates, names, out)?;
    after_sale::service_levels(&projections.claims.state, dates, out)?;
    after_sale::disputes(&projections.claims.state, dates, names, out)?;
    Ok(())
}

/// A section's title, after a blank line.
fn heading(out: &mut dyn Write, title: &str) -> Result<(), Failure> {
    writeln!(out)?;
    writeln!(out, "{title}")?;
    Ok(())
}

/// A ratio as a percentage (`0.875` → `87.5%`), or `-` when there is nothing to measure.
fn rate(ratio: Option<Decimal>) -> String {
    ratio.map_or_else(
        || "-".into(),
        |r| format!("{}%", (r * Decimal::ONE_HUNDRED).normalize()),
    )
}

/// Days, or `-` when there is nothing to measure.
fn days(days: Option<Decimal>) -> String {
    days.map_or_else(|| "-".into(), |d| d.normalize().to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_default_period_is_the_30_days_ending_on_the_as_of_date() {
        let none = Period {
            as_of: None,
            from: None,
            to: None,
        };
        let dates = none.resolve(date("2026-03-31")).unwrap();
        assert_eq!(
            dates,
            Dates {
                as_of: date("2026-03-31"),
                from: date("2026-03-02"),
                to: date("2026-03-31")
            }
        );
        let asked = Period {
            as_of: Some(date("2026-02-10")),
            from: None,
            to: None,
        };
        assert_eq!(
            asked.resolve(date("2026-03-31")).unwrap().from,
            date("2026-01-12")
        );
        let backwards = Period {
            as_of: None,
            from: Some(date("2026-04-01")),
            to: Some(date("2026-03-01")),
        };
        assert!(backwards.resolve(date("2026-03-31")).is_err());
        assert_eq!(rate(Some("0.875".parse().unwrap())), "87.5%");
        assert_eq!(rate(None), "-");
    }
}
