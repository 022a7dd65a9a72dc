//! The projections' reports, read straight from the engine: the management questions an
//! embedding service asks most, each answered from the live projections (folded to the
//! same position as the book) without copying them.

use chrono::NaiveDate;
use o2c_projections::{
    AgingReport, BacklogReport, Buckets, CycleTimeReport, DisputesReport, DsoReport, FillRateReport,
    OnTimeReport, OpenClaimsReport, OpenCreditHold, ReturnsReport, ServiceLevelReport,
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

    /// Returns received from `from` to `to`, by reason, product and customer, with the
    /// return rate against what was shipped.
    pub fn returns(&self, from: NaiveDate, to: NaiveDate) -> ReturnsReport {
        self.projections(|p| p.returns.state.report(from, to))
    }

    /// Claims open now, or at the end of `as_of`, by type and with their age.
    pub fn open_claims(&self, as_of: Option<NaiveDate>) -> OpenClaimsReport {
        self.projections(|p| p.claims.state.open(as_of))
    }

    /// Service-level attainment per priority of the claim targets met from `from` to `to`.
    pub fn claim_service_levels(&self, from: NaiveDate, to: NaiveDate) -> ServiceLevelReport {
        self.projections(|p| p.claims.state.service_levels(from, to))
    }

    /// Disputed amounts on hold now, or at the end of `as_of`.
    pub fn disputes(&self, as_of: Option<NaiveDate>) -> DisputesReport {
        self.projections(|p| p.claims.state.disputes(as_of))
    }

    /// Orders on credit hold now, or at the end of `as_of`, oldest first, with their age.
    pub fn credit_holds(&self, as_of: Option<NaiveDate>) -> Vec<OpenCreditHold> {
        self.projections(|p| p.credit_holds.state.open(as_of))
    }
}
