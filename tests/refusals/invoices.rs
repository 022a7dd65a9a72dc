//! Invoices: nothing to invoice, posting or cancelling what is not a draft, due dates beyond the calendar.

use crate::common::*;
use crate::support::World;
use o2c::DomainError;
use o2c::chrono::{NaiveDate, TimeZone, Utc};
use o2c::invoice::{CancelInvoice, CreateInvoice, InvoiceStatus, PostInvoice};

#[test]
fn invoicing_before_anything_is_delivered_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = reserved(&mut w, &[(widget, "4")]);

    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id: unknown(),
            order_id,
            additional_orders: vec![],
            currency: None,
        }),
        DomainError::NothingToInvoice { order_id }
    );
}

#[test]
fn invoicing_what_is_already_on_a_draft_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    draft_invoice(&mut w, order_id);

    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id: unknown(),
            order_id,
            additional_orders: vec![],
            currency: None,
        }),
        DomainError::NothingToInvoice { order_id }
    );
}

#[test]
fn invoicing_a_fully_invoiced_order_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    posted_invoice(&mut w, order_id);

    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id: unknown(),
            order_id,
            additional_orders: vec![],
            currency: None,
        }),
        DomainError::NothingToInvoice { order_id }
    );
}

#[test]
fn posting_a_posted_invoice_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");

    assert_eq!(
        w.h.refused(PostInvoice { invoice_id }),
        DomainError::InvoiceNotDraft {
            invoice_id,
            status: InvoiceStatus::Posted
        }
    );
}

#[test]
fn cancelling_a_posted_invoice_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");

    assert_eq!(
        w.h.refused(CancelInvoice {
            invoice_id,
            reason: "customer changed their mind".into()
        }),
        DomainError::InvoiceNotDraft {
            invoice_id,
            status: InvoiceStatus::Posted
        }
    );
}

#[test]
fn posting_or_cancelling_a_cancelled_invoice_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    w.h.ok(CancelInvoice {
        invoice_id,
        reason: "wrong price".into(),
    });

    assert_eq!(
        w.h.refused(PostInvoice { invoice_id }),
        DomainError::InvoiceNotDraft {
            invoice_id,
            status: InvoiceStatus::Cancelled
        }
    );
    assert_eq!(
        w.h.refused(CancelInvoice {
            invoice_id,
            reason: "again".into()
        }),
        DomainError::InvoiceNotDraft {
            invoice_id,
            status: InvoiceStatus::Cancelled
        }
    );
}

#[test]
fn posting_when_the_due_date_falls_beyond_the_calendar_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    let last_days = NaiveDate::MAX.pred_opt().unwrap().pred_opt().unwrap();
    w.h.now = Utc.from_utc_datetime(&last_days.and_hms_opt(9, 0, 0).unwrap());

    assert_eq!(
        w.h.refused(PostInvoice { invoice_id }),
        DomainError::DateOutOfRange
    );
}
