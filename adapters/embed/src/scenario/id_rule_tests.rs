//! Proves the label rule of [`super::labels`] against the real command types: commands
//! built in Rust with label ids, written as JSON with their ids replaced by the labels,
//! come back to the same JSON (and the same command) after the rule rewrites the labels.
//! A missed id position would leave a label where a UUID must be; a position wrongly taken
//! for an id would turn text (a customer's tax registration number, a category) into a
//! UUID.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use o2c_core::company::{CompanySettings, SetUpCompany};
use o2c_core::customer::{CustomerDetails, RegisterCustomer, RegisterCustomerGroup};
use o2c_core::invoice::{
    ApplyCredit, ChangeDraftInvoiceLine, CreateCreditNote, CreateDownPaymentInvoice, CreateInvoice,
    CreditNoteKind, CreditedQuantity, DownPaymentAmount, InvoicePolicy,
};
use o2c_core::location::{
    LocationKind, RegisterLocation, RemovalStrategy, RemovalTarget, SetRemovalStrategy,
};
use o2c_core::money::{Currency, CurrencyCode, Money, RoundingRule};
use o2c_core::order::{AddOrderLine, CreateQuotation, RequestedLine, ReserveDue, SubstituteProduct};
use o2c_core::payment::{AllocatePayment, CreditSource, PaymentMethod, ReceivePayment, RefundCustomerCredit};
use o2c_core::payment_term::{DefinePaymentTerm, Delay, TermAmount, TermLine};
use o2c_core::picking::{ConfirmWave, CreateWave, PickOrder, WavePick};
use o2c_core::pricing::{AddPriceRule, PriceRule, RemovePriceRule, RulePrice, RuleScope};
use o2c_core::product::{ChangeProduct, RegisterProduct, Unit};
use o2c_core::rust_decimal::Decimal;
use o2c_core::shipment::{ShipLine, ShipOrder};
use o2c_core::stock::{AdjustInventory, AdjustmentReason, MoveStock, ReceiveStock, Tracking};
use o2c_core::tax::{DefineTax, FiscalTreatment, SetFiscalPosition, Tax, TaxComputation, TaxMapping};
use o2c_core::uuid::Uuid;
use o2c_core::warehouse::RegisterWarehouse;
use o2c_core::{Command, WarehouseId};
use serde_json::Value;

use super::labels::{Labels, label_id};

mod after_sale;

/// Every label the commands below use, with standard-location labels.
const LABELS: &[&str] = &[
    "NORTHWIND",
    "ACME",
    "RETAIL",
    "LIST-A",
    "LIST-B",
    "RULE-1",
    "WIDGET",
    "GADGET",
    "WH-1",
    "BIN-A",
    "SO-1",
    "SO-2",
    "PICK-1",
    "WAVE-1",
    "SH-1",
    "INV-1",
    "INV-2",
    "CN-1",
    "PAY-1",
    "VAT",
    "VAT-EXEMPT",
    "NET-30",
    "RMA-1",
    "CLM-1",
    "DOC-1",
    "DOC-2",
];

fn id<T: From<Uuid>>(label: &str) -> T {
    T::from(label_id(label))
}

fn usd(amount: i64) -> Money {
    Money::new(Decimal::from(amount), CurrencyCode::new("USD").unwrap())
}

fn stock_of(warehouse: &str) -> o2c_core::LocationId {
    o2c_core::location::standard_location(WarehouseId(label_id(warehouse)), LocationKind::Stock)
}

/// The id → label table a scenario author's file would show.
fn labels_by_id() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = LABELS
        .iter()
        .map(|l| (label_id(l).to_string(), (*l).to_string()))
        .collect();
    out.push((stock_of("WH-1").0.to_string(), "WH-1/Stock".to_string()));
    out
}

/// Replaces every UUID of a known label by the label, as a scenario file writes it.
fn unlabel(value: &mut Value, table: &[(String, String)]) {
    match value {
        Value::String(text) => {
            if let Some((_, label)) = table.iter().find(|(id, _)| id == text) {
                *text = label.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| unlabel(v, table)),
        Value::Object(map) => map.values_mut().for_each(|v| unlabel(v, table)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn details(tax_id: &str) -> CustomerDetails {
    CustomerDetails {
        name: "Acme".into(),
        payment_term_days: 30,
        payment_term_id: Some(id("NET-30")),
        tax_id: Some(tax_id.into()),
        billing_address: None,
        shipping_addresses: Vec::new(),
        group_id: Some(id("RETAIL")),
        price_list_id: Some(id("LIST-A")),
        tax_treatment: Default::default(),
        backorder_policy: Default::default(),
    }
}

fn rule(scope: RuleScope, price: RulePrice) -> AddPriceRule {
    AddPriceRule {
        price_list_id: id("LIST-A"),
        rule: PriceRule {
            rule_id: id("RULE-1"),
            scope,
            min_quantity: Decimal::ZERO,
            valid_from: None,
            valid_until: None,
            price,
        },
    }
}

fn requested(product: &str) -> RequestedLine {
    RequestedLine {
        product_id: id(product),
        quantity: Decimal::from(5),
        discount_percent: Decimal::ZERO,
        promised_date: None,
        unit: None,
        warehouse_id: Some(id("WH-1")),
    }
}

fn samples() -> Vec<Command> {
    let mut samples = core_samples();
    samples.extend(after_sale::samples());
    samples
}

fn core_samples() -> Vec<Command> {
    let usd_currency = Currency {
        code: CurrencyCode::new("USD").unwrap(),
        decimals: 2,
    };
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    vec![
        SetUpCompany {
            company_id: id("NORTHWIND"),
            name: "Northwind".into(),
            base_currency: usd_currency,
            other_currencies: vec![],
            rounding: RoundingRule::HalfAwayFromZero,
            settings: CompanySettings::default(),
        }
        .into(),
        // A customer's tax id that even looks like a label stays text.
        RegisterCustomer {
            customer_id: id("ACME"),
            details: details("WIDGET"),
            credit_limit: Some(usd(1000)),
        }
        .into(),
        o2c_core::customer::ChangeCustomer {
            customer_id: id("ACME"),
            details: details("DE 123.456"),
        }
        .into(),
        RegisterCustomerGroup {
            group_id: id("RETAIL"),
            name: "Retail".into(),
            default_credit_limit: None,
            default_price_list_id: Some(id("LIST-B")),
        }
        .into(),
        RegisterProduct {
            product_id: id("WIDGET"),
            sku: "W-1".into(),
            name: "Widget".into(),
            unit: Unit {
                code: "pcs".into(),
                decimals: 0,
            },
            list_price: usd(10),
            category: Some("tools".into()),
            floor_price: None,
            tracking: Tracking::None,
            substitutes: vec![id("GADGET")],
            invoice_policy: InvoicePolicy::OnDelivered,
            taxes: vec![id("VAT")],
        }
        .into(),
        ChangeProduct {
            product_id: id("WIDGET"),
            name: "Widget".into(),
            category: None,
            list_price: usd(11),
            floor_price: None,
            substitutes: vec![id("GADGET")],
            invoice_policy: InvoicePolicy::OnOrdered,
            taxes: vec![id("VAT"), id("VAT-EXEMPT")],
        }
        .into(),
        rule(
            RuleScope::Product(id("WIDGET")),
            RulePrice::PercentOffPriceList {
                base: id("LIST-B"),
                percent: Decimal::from(5),
            },
        )
        .into(),
        rule(RuleScope::Category("tools".into()), RulePrice::Fixed(usd(9))).into(),
        RemovePriceRule {
            price_list_id: id("LIST-A"),
            rule_id: id("RULE-1"),
            reason: "expired".into(),
        }
        .into(),
        RegisterWarehouse {
            warehouse_id: id("WH-1"),
            code: "WH-1".into(),
            name: "Main".into(),
            route: Default::default(),
            reservation: Default::default(),
        }
        .into(),
        RegisterLocation {
            location_id: id("BIN-A"),
            parent_id: stock_of("WH-1"),
            name: "A".into(),
        }
        .into(),
        SetRemovalStrategy {
            target: RemovalTarget::Location(stock_of("WH-1")),
            strategy: RemovalStrategy::Fefo,
        }
        .into(),
        ReceiveStock {
            product_id: id("WIDGET"),
            warehouse_id: id("WH-1"),
            quantity: Decimal::from(10),
            reference: "PO-1".into(),
            location_id: Some(id("BIN-A")),
            lots: vec![],
        }
        .into(),
        MoveStock {
            product_id: id("WIDGET"),
            from: stock_of("WH-1"),
            to: id("BIN-A"),
            lot: None,
            quantity: Decimal::ONE,
            reason: "tidy".into(),
        }
        .into(),
        AdjustInventory {
            product_id: id("WIDGET"),
            location_id: stock_of("WH-1"),
            lot: None,
            counted: Decimal::from(4),
            reason: AdjustmentReason::CycleCount,
            note: String::new(),
        }
        .into(),
        CreateQuotation {
            order_id: id("SO-1"),
            customer_id: id("ACME"),
            warehouse_id: id("WH-1"),
            lines: vec![requested("WIDGET")],
            customer_reference: "PO 77".into(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        }
        .into(),
        AddOrderLine {
            order_id: id("SO-1"),
            requested: requested("GADGET"),
            reason: "more".into(),
        }
        .into(),
        SubstituteProduct {
            order_id: id("SO-1"),
            line: 1,
            substitute_id: id("GADGET"),
            keep_price: true,
            reason: "out".into(),
        }
        .into(),
        ReserveDue {
            as_of: date,
            warehouse_id: Some(id("WH-1")),
        }
        .into(),
        PickOrder {
            operation_id: id("PICK-1"),
            order_id: id("SO-1"),
            warehouse_id: Some(id("WH-1")),
            lines: vec![ShipLine {
                line: 1,
                quantity: Decimal::ONE,
            }],
        }
        .into(),
        CreateWave {
            wave_id: id("WAVE-1"),
            warehouse_id: id("WH-1"),
            order_ids: vec![id("SO-1"), id("SO-2")],
        }
        .into(),
        ConfirmWave {
            wave_id: id("WAVE-1"),
            picks: vec![WavePick {
                order_id: id("SO-2"),
                line: 1,
                quantity: Decimal::ONE,
            }],
        }
        .into(),
        ShipOrder {
            shipment_id: id("SH-1"),
            order_id: id("SO-1"),
            lines: vec![],
            warehouse_id: None,
            carrier: "DHL".into(),
            tracking_reference: String::new(),
        }
        .into(),
        CreateInvoice {
            invoice_id: id("INV-1"),
            order_id: id("SO-1"),
            additional_orders: vec![id("SO-2")],
            currency: None,
        }
        .into(),
        CreateDownPaymentInvoice {
            invoice_id: id("INV-2"),
            order_id: id("SO-2"),
            amount: DownPaymentAmount::Fixed(usd(10)),
        }
        .into(),
        ChangeDraftInvoiceLine {
            invoice_id: id("INV-1"),
            order_id: Some(id("SO-2")),
            order_line: 1,
            quantity: Decimal::ONE,
        }
        .into(),
        CreateCreditNote {
            credit_note_id: id("CN-1"),
            invoice_id: id("INV-1"),
            kind: CreditNoteKind::ReturnedGoods(vec![CreditedQuantity {
                order_id: Some(id("SO-1")),
                order_line: 1,
                quantity: Decimal::ONE,
            }]),
            reason: "damaged".into(),
        }
        .into(),
        ApplyCredit {
            credit_note_id: id("CN-1"),
            invoice_id: id("INV-2"),
            amount: usd(1),
        }
        .into(),
        ReceivePayment {
            payment_id: id("PAY-1"),
            customer_id: id("ACME"),
            amount: usd(50),
            method: PaymentMethod::BankTransfer,
            reference: "R-1".into(),
        }
        .into(),
        AllocatePayment {
            payment_id: id("PAY-1"),
            invoice_id: id("INV-1"),
            amount: usd(50),
            installment: Some(0),
        }
        .into(),
        RefundCustomerCredit {
            source: CreditSource::Payment(id("PAY-1")),
            amount: usd(1),
            method: PaymentMethod::Cheque,
            reference: String::new(),
        }
        .into(),
        RefundCustomerCredit {
            source: CreditSource::CreditNote(id("CN-1")),
            amount: usd(1),
            method: PaymentMethod::Cheque,
            reference: String::new(),
        }
        .into(),
        DefineTax {
            tax: Tax {
                tax_id: id("VAT"),
                name: "VAT 20%".into(),
                computation: TaxComputation::Percent(Decimal::from(20)),
                price_included: false,
                affects_later: false,
            },
        }
        .into(),
        SetFiscalPosition {
            treatment: FiscalTreatment::Exempt,
            mappings: vec![
                TaxMapping {
                    from: id("VAT"),
                    to: Some(id("VAT-EXEMPT")),
                },
                TaxMapping {
                    from: id("VAT-EXEMPT"),
                    to: None,
                },
            ],
        }
        .into(),
        DefinePaymentTerm {
            payment_term_id: id("NET-30"),
            name: "Net 30".into(),
            lines: vec![TermLine {
                amount: TermAmount::Balance,
                delay: Delay::Days(30),
                end_of_month: false,
                day_of_next_month: None,
            }],
            early_discount: None,
        }
        .into(),
    ]
}

#[test]
fn the_label_rule_finds_every_id_of_the_real_command_types_and_nothing_else() {
    let table = labels_by_id();
    for command in samples() {
        let typed = serde_json::to_value(&command).unwrap();
        let Value::Object(tagged) = &typed else {
            panic!("commands are tagged objects")
        };
        let (name, body) = tagged.iter().next().unwrap();
        let mut written = body.clone();
        unlabel(&mut written, &table);
        assert_ne!(&written, body, "{name}: the sample has no id to label");
        let mut labels = Labels::default();
        labels.rewrite_command(name, &mut written);
        assert_eq!(
            &written, body,
            "{name}: the label rule did not give back the command's ids"
        );
        let mut retagged = serde_json::Map::new();
        retagged.insert(name.clone(), written);
        let decoded: Command = serde_json::from_value(Value::Object(retagged)).unwrap();
        assert_eq!(decoded, command, "{name}");
    }
}

#[test]
fn every_command_with_an_id_is_sampled() {
    // Commands whose ids sit in a position no sample above exercises would escape the
    // proof; the samples cover every id shape (keys, lists, variants, nested objects) of
    // these commands, and every other command's ids are plain `*_id` keys of the body.
    let sampled: Vec<&str> = samples().iter().map(Command::name).collect();
    for shaped in [
        "RegisterCustomer",
        "ChangeCustomer",
        "RegisterProduct",
        "ChangeProduct",
        "AddPriceRule",
        "RegisterLocation",
        "SetRemovalStrategy",
        "MoveStock",
        "CreateQuotation",
        "AddOrderLine",
        "CreateWave",
        "ConfirmWave",
        "CreateInvoice",
        "CreateCreditNote",
        "RefundCustomerCredit",
        "DefineTax",
        "SetFiscalPosition",
        "RegisterCustomerGroup",
        "AuthoriseReturn",
        "ReceiveReturn",
        "InspectReturn",
        "ResolveReturn",
        "OpenClaim",
        "ResolveClaim",
        "AttachDocument",
    ] {
        assert!(sampled.contains(&shaped), "{shaped} is not sampled");
    }
}
