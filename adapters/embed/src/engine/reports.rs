//! The projections' reports, read straight from the engine: the management questions an
//! embedding service asks most, each answered from the live projections (folded to the
//! same position as the book) without copying them.

use chrono::NaiveDate;
use o2c_projections::{
    AgingReport, BacklogReport, Buckets, CycleTimeReport, DsoReport, FillRateReport, OnTimeReport,
    OpenCreditHold,
};

use super::Engine;

impl Engine {
    /// The open order backlog now, or as it stood at the end of `as_of`.
    pub fn backlog(&self, as_of: Option<NaiveDate>) -> BacklogReport {
        self.projections(|p| p.backlog.state.report(as_of))
    }

    /// Unit, line and order fill rates of the orders first shipped from `from` to `to`.
    pub fn fill_rate(&self, from: NaiveDate, to: NaiveDate) -> FillRateReport {
        self.projections(|p| p.fill_rate.state.report(from, to))
    }

    /// On-time shipment of the order lines fully shipped from `from` to `to`.
    pub fn on_time(&self, from: NaiveDate, to: NaiveDate) -> OnTimeReport {
        self.projections(|p| p.on_time.state.report(from, to))
    }

    /// Cycle times (confirmation → shipped, shipment → invoiced, invoice → paid) of what
    /// ended from `from` to `to`.
    pub fn cycle_times(&self, from: NaiveDate, to: NaiveDate) -> CycleTimeReport {
        self.projections(|p| p.cycle_times.state.report(from, to))
    }

    /// Open receivables per customer, as they stood at the end of `as_of`, aged in
    /// `buckets` on that date.
    pub fn aging(&self, as_of: NaiveDate, buckets: &Buckets) -> AgingReport {
        self.projections(|p| p.aging.state.report(as_of, buckets))
    }

    /// Days sales outstanding over `from` to `to`.
    pub fn dso(&self, from: NaiveDate, to: NaiveDate) -> DsoReport {
        self.projections(|p| p.dso.state.report(&p.aging.state, from, to))
    }

    /// Orders on credit hold now, or at the end of `as_of`, oldest first, with their age.
    pub fn credit_holds(&self, as_of: Option<NaiveDate>) -> Vec<OpenCreditHold> {
        self.projections(|p| p.credit_holds.state.open(as_of))
    }
}
