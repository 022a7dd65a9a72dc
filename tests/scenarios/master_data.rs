//! Company and master data: the company's currencies and rounding, customers, products and warehouses.

use crate::common::*;
use crate::support::{COMPANY, Harness, World, details, usd};
use o2c::Event;
use o2c::company::SetUpCompany;
use o2c::customer::{CustomerDetails, CustomerRegistered, RegisterCustomer, TaxTreatment};
use o2c::money::{Currency, CurrencyCode, RoundingRule};
use o2c::product::{ProductRegistered, RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::warehouse::{RegisterWarehouse, WarehouseRegistered};

#[test]
fn setting_up_the_company_records_its_currencies_and_rounding_rule() {
    let mut h = Harness::empty();
    // The harness actor holds its roles in this company.
    let company_id = COMPANY;
    let eur_2 = Currency {
        code: CurrencyCode::new("EUR").unwrap(),
        decimals: 2,
    };
    let set_up = SetUpCompany {
        company_id,
        name: "Test Distribution".into(),
        base_currency: usd_2(),
        other_currencies: vec![eur_2],
        rounding: RoundingRule::HalfAwayFromZero,
        settings: Default::default(),
    };

    let event = only(h.ok(set_up));

    let Event::CompanySetUp(e) = event else {
        panic!("expected CompanySetUp, got {event:?}")
    };
    assert_eq!(e.company_id, company_id);
    assert_eq!(e.name, "Test Distribution");
    assert_eq!(e.base_currency, usd_2());
    assert_eq!(e.other_currencies, vec![eur_2]);
    let company = h.engine.read(|b| b.company().cloned()).unwrap();
    assert_eq!(company.id, company_id);
    assert_eq!(company.base_currency, usd_2());
    assert_eq!(
        company
            .currencies
            .keys()
            .map(CurrencyCode::as_str)
            .collect::<Vec<_>>(),
        ["EUR", "USD"]
    );
    assert_eq!(company.rounding, RoundingRule::HalfAwayFromZero);
    assert!(company.invoice_sequences.is_empty());
    assert_eq!(
        company.next_invoice_number(2026),
        (1, "INV/2026/00001".to_string())
    );
}

#[test]
fn registering_a_customer_opens_an_account_with_no_exposure() {
    let mut w = World::new();
    let customer_id = w.h.id();
    let register = RegisterCustomer {
        customer_id,
        details: details("Globex", 45),
        credit_limit: Some(usd("2500.00")),
    };

    let event = only(w.h.ok(register));

    assert_eq!(
        event,
        Event::CustomerRegistered(CustomerRegistered {
            customer_id,
            details: CustomerDetails {
                name: "Globex".into(),
                payment_term_days: 45,
                tax_id: None,
                billing_address: None,
                shipping_addresses: vec![],
                group_id: None,
                price_list_id: None,
                tax_treatment: TaxTreatment::Taxable,
                backorder_policy: Default::default(),
                payment_term_id: None,
            },
            credit_limit: Some(usd("2500.00")),
        })
    );
    let globex = w.h.engine.customer(customer_id).unwrap();
    assert_eq!(globex.name(), "Globex");
    assert_eq!(globex.details.payment_term_days, 45);
    assert_eq!(globex.credit_limit, Some(usd("2500.00")));
    assert_eq!(globex.receivable, Decimal::ZERO);
    assert_eq!(globex.uninvoiced_orders, Decimal::ZERO);
    assert_eq!(globex.exposure(), Decimal::ZERO);
}

#[test]
fn registering_a_product_lists_it_by_sku_with_its_unit_and_price() {
    let mut w = World::new();
    let product_id = w.h.id();
    let unit = Unit {
        code: "m".into(),
        decimals: 1,
    };

    let event = only(w.h.ok(RegisterProduct {
        product_id,
        sku: "CABLE".into(),
        name: "Cable, by the metre".into(),
        unit: unit.clone(),
        list_price: usd("1.20"),
        category: None,
        floor_price: None,
        tracking: Default::default(),
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    }));

    assert_eq!(
        event,
        Event::ProductRegistered(ProductRegistered {
            product_id,
            sku: "CABLE".into(),
            name: "Cable, by the metre".into(),
            unit: unit.clone(),
            list_price: usd("1.20"),
            category: None,
            floor_price: None,
            tracking: Default::default(),
            substitutes: vec![],
            invoice_policy: Default::default(),
            taxes: vec![],
        })
    );
    assert_eq!(w.h.engine.read(|b| b.product_by_sku("CABLE")), Some(product_id));
    let cable = w.h.engine.product(product_id).unwrap();
    assert_eq!(cable.unit, unit);
    assert_eq!(cable.list_price, usd("1.20"));
    assert_eq!(
        w.h.engine.stock(product_id),
        None,
        "a new product has no stock record yet"
    );
}

#[test]
fn registering_a_warehouse_lists_it_by_code() {
    let mut w = World::new();
    let warehouse_id = w.h.id();

    let event = only(w.h.ok(RegisterWarehouse {
        warehouse_id,
        code: "WH-EAST".into(),
        name: "East".into(),
        route: Default::default(),
        reservation: Default::default(),
    }));

    assert_eq!(
        event,
        Event::WarehouseRegistered(WarehouseRegistered {
            warehouse_id,
            code: "WH-EAST".into(),
            name: "East".into(),
            route: Default::default(),
            reservation: Default::default(),
        })
    );
    assert_eq!(
        w.h.engine.read(|b| b.warehouse_by_code("WH-EAST")),
        Some(warehouse_id)
    );
    assert_eq!(
        w.h.engine.read(|b| b.warehouse_by_code("WH-1")),
        Some(w.warehouse)
    );
    assert_eq!(
        w.h.engine
            .read(|b| b.warehouse(warehouse_id).map(|x| x.name.clone())),
        Some("East".into())
    );
}
