//! Payment terms: how an invoice's total is split into installments and when each is due,
//! and the discount for paying early.
//!
//! A term has lines, each a percentage of the total, a fixed amount, or the balance (exactly
//! one balance line, the last), with a delay in days or months after the invoice date,
//! optionally moved to the end of that month, and optionally to a day of the following
//! month. Each installment is rounded to the invoice currency's precision and the balance
//! line takes what is left, so installments always add up to the total (and their untaxed
//! parts to the untaxed amount). A customer without a term pays net its payment-term days,
//! in one installment.
//!
//! **Early-payment discount**: a percentage for paying within a number of days of the
//! invoice date, on each installment's total or on its untaxed part (a company setting,
//! [`EarlyDiscountBasis`]). A payment received within the window that settles an
//! installment (the discount making up the rest) books the discount; where the setting
//! says so, the discount's tax share is booked as a tax reduction.

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CompanyId, PaymentTermId};
use crate::money::{Money, RoundingRule};
use crate::validate;

/// What a term line is due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TermAmount {
    /// A percentage of the invoice total.
    Percent(Decimal),
    /// A fixed amount (in the company currency).
    Fixed(Money),
    /// What the other lines leave.
    Balance,
}

/// How long after the invoice date a term line is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delay {
    /// Days.
    Days(u32),
    /// Calendar months.
    Months(u32),
}

/// One line of a payment term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermLine {
    /// What is due.
    pub amount: TermAmount,
    /// When, after the invoice date.
    pub delay: Delay,
    /// Then moved to the last day of that month.
    #[serde(default)]
    pub end_of_month: bool,
    /// Then moved to this day of the following month.
    #[serde(default)]
    pub day_of_next_month: Option<u32>,
}

/// What an early-payment discount is computed on (a company setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EarlyDiscountBasis {
    /// The installment's untaxed part; no tax is reduced (the default).
    #[default]
    Untaxed,
    /// The installment's total; no tax is reduced.
    Total,
    /// The installment's total; the discount's tax share is booked as a tax reduction.
    TotalReducingTax,
}

/// A payment term's discount for paying early.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlyDiscount {
    /// Percentage.
    pub percent: Decimal,
    /// Paid within this many days of the invoice date.
    pub within_days: u32,
}

/// The early-payment discount of a posted invoice, as fixed at posting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDiscount {
    /// Percentage.
    pub percent: Decimal,
    /// Last day a payment earns it.
    pub until: NaiveDate,
    /// What it is computed on.
    pub basis: EarlyDiscountBasis,
}

impl InvoiceDiscount {
    /// The discount an installment earns when settled by a payment received on `date`,
    /// rounded like the invoice; zero outside the window. (The part of the installment
    /// already settled does not change it: the discount is on the installment.)
    pub fn on(
        &self,
        installment: &Installment,
        date: NaiveDate,
        decimals: u32,
        rounding: RoundingRule,
    ) -> Decimal {
        if date > self.until {
            return Decimal::ZERO;
        }
        let basis = match self.basis {
            EarlyDiscountBasis::Untaxed => installment.untaxed,
            EarlyDiscountBasis::Total | EarlyDiscountBasis::TotalReducingTax => installment.amount,
        };
        rounding
            .round(basis * self.percent / Decimal::ONE_HUNDRED, decimals)
            .min(installment.open())
    }
}

/// Command: define a payment term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinePaymentTerm {
    /// The new term's id.
    pub payment_term_id: PaymentTermId,
    /// Name, e.g. "30% now, balance end of next month".
    pub name: String,
    /// Its lines.
    pub lines: Vec<TermLine>,
    /// Its early-payment discount.
    #[serde(default)]
    pub early_discount: Option<EarlyDiscount>,
}

/// Event: a payment term was defined. Recorded on the company's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentTermDefined {
    /// The company.
    pub company_id: CompanyId,
    /// The term's id.
    pub payment_term_id: PaymentTermId,
    /// Name.
    pub name: String,
    /// Its lines.
    pub lines: Vec<TermLine>,
    /// Its early-payment discount.
    pub early_discount: Option<EarlyDiscount>,
}

/// A payment term's state.
pub type PaymentTerm = PaymentTermDefined;

/// One installment of an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installment {
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount, in the invoice currency.
    pub amount: Decimal,
    /// Its untaxed part (for discounts on the untaxed amount).
    pub untaxed: Decimal,
    /// Settled so far: paid, discounted, credited or written off.
    #[serde(default)]
    pub settled: Decimal,
}

impl Installment {
    /// What is still open.
    pub fn open(&self) -> Decimal {
        self.amount - self.settled
    }
}

/// The due date of a term line for an invoice date.
pub fn due_date(line: &TermLine, invoice_date: NaiveDate) -> Option<NaiveDate> {
    let mut date = match line.delay {
        Delay::Days(days) => invoice_date.checked_add_days(Days::new(u64::from(days)))?,
        Delay::Months(months) => invoice_date.checked_add_months(Months::new(months))?,
    };
    if line.end_of_month {
        date = last_day_of_month(date)?;
    }
    if let Some(day) = line.day_of_next_month {
        let first = date.with_day(1)?.checked_add_months(Months::new(1))?;
        let last = last_day_of_month(first)?;
        date = first.with_day(day.min(last.day()))?;
    }
    Some(date)
}

fn last_day_of_month(date: NaiveDate) -> Option<NaiveDate> {
    date.with_day(1)?.checked_add_months(Months::new(1))?.pred_opt()
}

/// Splits an invoice into installments: one per term line (a single one due after `days`
/// without a term). `rate` converts fixed amounts from the company currency.
#[allow(clippy::too_many_arguments)]
pub(crate) fn installments(
    term: Option<&PaymentTerm>,
    net_days: u32,
    invoice_date: NaiveDate,
    total: Decimal,
    untaxed: Decimal,
    decimals: u32,
    rounding: RoundingRule,
    rate: Decimal,
) -> Result<Vec<Installment>, DomainError> {
    let untaxed_share = |amount: Decimal| {
        if total.is_zero() {
            Decimal::ZERO
        } else {
            rounding.round(amount * untaxed / total, decimals)
        }
    };
    let Some(term) = term else {
        let due = invoice_date
            .checked_add_days(Days::new(u64::from(net_days)))
            .ok_or(DomainError::DateOutOfRange)?;
        return Ok(vec![Installment {
            due_date: due,
            amount: total,
            untaxed,
            settled: Decimal::ZERO,
        }]);
    };
    let mut left = total;
    let mut untaxed_left = untaxed;
    let mut out = Vec::with_capacity(term.lines.len());
    for line in &term.lines {
        let amount = match &line.amount {
            TermAmount::Percent(p) => rounding.round(total * p / Decimal::ONE_HUNDRED, decimals),
            TermAmount::Fixed(m) => rounding.round(m.amount / rate, decimals),
            TermAmount::Balance => left,
        }
        .min(left)
        .max(Decimal::ZERO);
        left -= amount;
        // The balance takes the untaxed rest too, so the untaxed parts add up.
        let untaxed_part = match line.amount {
            TermAmount::Balance => untaxed_left.clamp(Decimal::ZERO, amount),
            _ => untaxed_share(amount).min(untaxed_left),
        };
        untaxed_left -= untaxed_part;
        let due_date = due_date(line, invoice_date).ok_or(DomainError::DateOutOfRange)?;
        out.push(Installment {
            due_date,
            amount,
            untaxed: untaxed_part,
            settled: Decimal::ZERO,
        });
    }
    Ok(out)
}

pub(crate) fn define(book: &Book, cmd: &DefinePaymentTerm) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.payment_term_id.0)?;
    validate::name("name", &cmd.name)?;
    let balances = cmd
        .lines
        .iter()
        .filter(|l| l.amount == TermAmount::Balance)
        .count();
    if balances != 1 || cmd.lines.last().is_none_or(|l| l.amount != TermAmount::Balance) {
        return Err(DomainError::BalanceLineMustBeLast);
    }
    let mut percent = Decimal::ZERO;
    for line in &cmd.lines {
        match &line.amount {
            TermAmount::Percent(p) => {
                validate::percent("lines.amount", *p)?;
                percent += p;
            }
            TermAmount::Fixed(m) => {
                validate::in_currency(company.base_currency.code, m)?;
                validate::positive_amount(company, m)?;
            }
            TermAmount::Balance => {}
        }
        if line.day_of_next_month.is_some_and(|d| d == 0 || d > 31) {
            return Err(DomainError::InvalidDayOfMonth {
                day: line.day_of_next_month.unwrap_or(0),
            });
        }
    }
    if percent > Decimal::ONE_HUNDRED {
        return Err(DomainError::InvalidPercent {
            field: "lines",
            value: percent,
        });
    }
    if let Some(discount) = &cmd.early_discount {
        validate::percent("early_discount.percent", discount.percent)?;
    }
    Ok(vec![Event::PaymentTermDefined(PaymentTermDefined {
        company_id: company.id,
        payment_term_id: cmd.payment_term_id,
        name: cmd.name.clone(),
        lines: cmd.lines.clone(),
        early_discount: cmd.early_discount.clone(),
    })])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn due_dates_follow_delay_end_of_month_and_day_of_next_month() {
        let line = |delay, end_of_month, day_of_next_month| TermLine {
            amount: TermAmount::Balance,
            delay,
            end_of_month,
            day_of_next_month,
        };
        assert_eq!(
            due_date(&line(Delay::Days(30), false, None), d(2026, 1, 15)),
            Some(d(2026, 2, 14))
        );
        assert_eq!(
            due_date(&line(Delay::Months(1), true, None), d(2026, 1, 31)),
            Some(d(2026, 2, 28))
        );
        assert_eq!(
            due_date(&line(Delay::Days(0), true, Some(10)), d(2026, 3, 5)),
            Some(d(2026, 4, 10))
        );
        assert_eq!(
            due_date(&line(Delay::Days(0), false, Some(31)), d(2026, 1, 20)),
            Some(d(2026, 2, 28))
        );
    }
}
