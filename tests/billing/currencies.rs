//! Invoices in another currency than the orders': priced at the exchange rate of the
//! invoice date (restated at posting when the rate changed), receivable in the company
//! currency at that rate, refused without a rate; rates are never set for the company
//! currency; a currency without decimals (yen) bills whole yen.

use crate::common::*;
use crate::support::{COMPANY, Harness, World, dec, details, eur, usd};
use o2c::company::SetUpCompany;
use o2c::customer::RegisterCustomer;
use o2c::exchange::{ExchangeRateSet, SetExchangeRate};
use o2c::invoice::{CreateInvoice, InvoiceCreated, InvoiceLine, InvoicePolicy, PostInvoice};
use o2c::money::{Currency, CurrencyCode, Money, RoundingRule};
use o2c::product::{RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::warehouse::RegisterWarehouse;
use o2c::{DomainError, Event, InvoiceId, OrderId};

fn set_eur_rate(w: &mut World, from: (i32, u32, u32), rate: &str) {
    w.h.ok(SetExchangeRate {
        currency: eur_code(),
        date: date(from.0, from.1, from.2),
        rate: dec(rate),
    });
}

fn in_currency(invoice_id: InvoiceId, order_id: OrderId, currency: CurrencyCode) -> CreateInvoice {
    CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: Some(currency),
    }
}

#[test]
fn an_invoice_in_euros_records_the_rate_and_is_receivable_at_that_rate() {
    let mut w = World::new();
    let (widget, customer_id) = (w.widget, w.customer);
    let event = only(w.h.ok(SetExchangeRate {
        currency: eur_code(),
        date: date(2026, 3, 1),
        rate: dec("1.25"),
    }));
    assert_eq!(
        event,
        Event::ExchangeRateSet(ExchangeRateSet {
            company_id: COMPANY,
            currency: eur_code(),
            date: date(2026, 3, 1),
            rate: dec("1.25"),
        })
    );
    let order_id = delivered(&mut w, &[(widget, "3")]);
    let invoice_id = w.h.id();

    let event = only(w.h.ok(in_currency(invoice_id, order_id, eur_code())));

    assert_eq!(
        event,
        Event::InvoiceCreated(InvoiceCreated {
            invoice_id,
            order_id,
            customer_id,
            lines: vec![InvoiceLine {
                order_line: 1,
                product_id: widget,
                quantity: dec("3"),
                unit_price: eur("8.00"),
                discount_percent: Decimal::ZERO,
                amount: eur("24.00"),
                order_id: Some(order_id),
                taxes: vec![],
            }],
            total: eur("24.00"),
            additional_orders: vec![],
            rate: Some(dec("1.25")),
            taxes: vec![],
            deductions: vec![],
            untaxed: Some(eur("24.00")),
            tax: Some(eur("0.00")),
            down_payment: false,
        })
    );
    w.h.ok(PostInvoice { invoice_id });
    let posted = invoice(&w, invoice_id);
    assert_eq!((posted.currency, posted.rate), (eur_code(), dec("1.25")));
    assert_eq!(posted.open_amount(), eur("24.00"));
    assert_eq!(customer(&w).receivable, dec("30.00"), "24.00 EUR at 1.25");
}

#[test]
fn posting_prices_a_foreign_currency_draft_at_the_rate_of_the_invoice_date() {
    let mut w = World::new();
    let widget = w.widget;
    set_eur_rate(&mut w, (2026, 3, 1), "1.25");
    set_eur_rate(&mut w, (2026, 3, 5), "1.60");
    assert_eq!(
        w.h.engine
            .read(|book| { [4, 5, 20].map(|day| book.exchange_rate(eur_code(), date(2026, 3, day))) }),
        [Some(dec("1.25")), Some(dec("1.60")), Some(dec("1.60"))]
    );
    let order_id = delivered(&mut w, &[(widget, "3")]);
    let invoice_id = w.h.id();
    w.h.ok(in_currency(invoice_id, order_id, eur_code()));
    assert_eq!(invoice(&w, invoice_id).total, eur("24.00"));
    w.h.advance_days(4);

    let event = only(w.h.ok(PostInvoice { invoice_id }));

    let Event::InvoicePosted(posted) = event else {
        panic!("expected InvoicePosted, got {event:?}")
    };
    assert_eq!(posted.invoice_date, date(2026, 3, 6));
    assert_eq!(posted.rate, Some(dec("1.60")));
    assert_eq!(posted.total, eur("18.75"));
    let restated = posted.restated.expect("the rate changed: restated");
    assert_eq!(
        (restated.lines[0].unit_price, restated.lines[0].amount),
        (eur("6.25"), eur("18.75"))
    );
    let invoice = invoice(&w, invoice_id);
    assert_eq!((invoice.rate, invoice.total), (dec("1.60"), eur("18.75")));
    assert_eq!(customer(&w).receivable, dec("30.00"), "18.75 EUR at 1.60");
}

#[test]
fn a_fixed_tax_in_dollars_is_converted_into_the_invoice_currency() {
    let mut w = World::new();
    let widget = w.widget;
    let eco = fixed_tax(&mut w, "Eco fee", "0.15");
    set_taxes(&mut w, widget, &[eco]);
    set_eur_rate(&mut w, (2026, 3, 1), "1.25");
    let order_id = delivered(&mut w, &[(widget, "3")]);
    let invoice_id = w.h.id();

    w.h.ok(in_currency(invoice_id, order_id, eur_code()));

    let draft = invoice(&w, invoice_id);
    assert_eq!(
        draft.taxes[0].amount,
        dec("0.36"),
        "0.15 USD = 0.12 EUR, three times"
    );
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (eur("24.00"), eur("0.36"), eur("24.36"))
    );
}

#[test]
fn an_invoice_in_a_currency_without_a_rate_on_its_date_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "3")]);
    let invoice_id = w.h.id();

    assert_eq!(
        w.h.refused(in_currency(invoice_id, order_id, eur_code())),
        DomainError::NoExchangeRate {
            currency: eur_code(),
            date: date(2026, 3, 2),
        }
    );
    set_eur_rate(&mut w, (2026, 3, 3), "1.25");
    assert_eq!(
        w.h.refused(in_currency(invoice_id, order_id, eur_code())),
        DomainError::NoExchangeRate {
            currency: eur_code(),
            date: date(2026, 3, 2),
        },
        "a rate from tomorrow on does not price today"
    );
}

#[test]
fn a_rate_for_the_company_currency_is_refused() {
    let mut w = World::new();
    let usd_code = CurrencyCode::new("USD").unwrap();

    assert_eq!(
        w.h.refused(SetExchangeRate {
            currency: usd_code,
            date: date(2026, 3, 1),
            rate: dec("1"),
        }),
        DomainError::RateOfBaseCurrency { currency: usd_code }
    );
}

pub(crate) fn yen(amount: &str) -> Money {
    Money::new(dec(amount), CurrencyCode::new("JPY").unwrap())
}

/// A company in dollars that also bills in yen (0 decimals) at 0.008 USD per yen (125 yen
/// to the dollar), with Acme and widget / gadget invoiced on ordered quantities.
pub(crate) fn yen_world() -> World {
    let mut h = Harness::empty();
    let code = |c: &str| CurrencyCode::new(c).unwrap();
    h.ok(SetUpCompany {
        company_id: COMPANY,
        name: "Pacific Trading".into(),
        base_currency: Currency {
            code: code("USD"),
            decimals: 2,
        },
        other_currencies: vec![Currency {
            code: code("JPY"),
            decimals: 0,
        }],
        rounding: RoundingRule::HalfAwayFromZero,
        settings: Default::default(),
    });
    h.ok(SetExchangeRate {
        currency: code("JPY"),
        date: date(2026, 3, 1),
        rate: dec("0.008"),
    });
    let warehouse = h.id();
    h.ok(RegisterWarehouse {
        warehouse_id: warehouse,
        code: "WH-1".into(),
        name: "Main".into(),
        route: Default::default(),
        reservation: Default::default(),
    });
    let customer = h.id();
    h.ok(RegisterCustomer {
        customer_id: customer,
        details: details("Acme", 30),
        credit_limit: Some(usd("10000.00")),
    });
    let mut product = |sku: &str, price: &str| {
        let product_id = h.id();
        h.ok(RegisterProduct {
            product_id,
            sku: sku.into(),
            name: sku.into(),
            unit: Unit {
                code: "pcs".into(),
                decimals: 0,
            },
            list_price: usd(price),
            category: None,
            floor_price: None,
            tracking: Default::default(),
            substitutes: vec![],
            invoice_policy: InvoicePolicy::OnOrdered,
            taxes: vec![],
        });
        product_id
    };
    let widget = product("WIDGET", "10.00");
    let gadget = product("GADGET", "2.50");
    let flour = product("SCOOP", "0.01");
    World {
        h,
        warehouse,
        customer,
        widget,
        gadget,
        flour,
    }
}

/// A draft invoice in yen of an order.
pub(crate) fn yen_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = w.h.id();
    w.h.ok(in_currency(
        invoice_id,
        order_id,
        CurrencyCode::new("JPY").unwrap(),
    ));
    invoice_id
}

#[test]
fn an_invoice_in_yen_bills_whole_yen() {
    let mut w = yen_world();
    let (widget, gadget, scoop) = (w.widget, w.gadget, w.flour);
    let order_id = confirmed(&mut w, &[(widget, "3"), (gadget, "1"), (scoop, "1")]);

    let invoice_id = yen_invoice(&mut w, order_id);

    let draft = invoice(&w, invoice_id);
    assert_eq!(
        draft.lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
        [yen("3750"), yen("313"), yen("1")],
        "312.5 and 1.25 yen round half away from zero"
    );
    assert_eq!(draft.total, yen("4064"));
    assert_eq!(draft.rate, dec("0.008"));
    w.h.ok(PostInvoice { invoice_id });
    assert_eq!(customer(&w).receivable, dec("32.512"), "4064 yen at 0.008, exact");
}

#[test]
fn a_dollar_down_payment_cannot_be_deducted_from_an_invoice_in_euros() {
    let mut w = World::new();
    let widget = w.widget;
    set_billing(&mut w, widget, InvoicePolicy::OnOrdered, &[]);
    set_eur_rate(&mut w, (2026, 1, 1), "1.25");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    let down_payment: InvoiceId = w.h.id();
    w.h.ok(o2c::invoice::CreateDownPaymentInvoice {
        invoice_id: down_payment,
        order_id,
        amount: o2c::invoice::DownPaymentAmount::Percent(dec("30")),
    });
    w.h.ok(PostInvoice {
        invoice_id: down_payment,
    });
    let invoice_id: InvoiceId = w.h.id();

    assert_eq!(
        w.h.refused(in_currency(invoice_id, order_id, eur_code())),
        DomainError::DownPaymentInOtherCurrency {
            down_payment,
            currency: usd("1").currency
        }
    );
    w.h.ok(create_invoice(invoice_id, order_id));
    assert_eq!(
        invoice(&w, invoice_id).total,
        usd("70.00"),
        "in dollars it deducts the 30.00"
    );
}
