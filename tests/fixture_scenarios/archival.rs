//! The part of the fixture scenario that records the archival event of schema version 6:
//! an order of a lot-tracked product delivered, invoiced, paid and then archived with its
//! shipment, invoice and payment.

use o2c::archive::ArchiveOrder;
use o2c::invoice::{CreateInvoice, PostInvoice};
use o2c::order::{ConfirmOrder, CreateQuotation, RequestedLine, ReserveStock};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::product::{RegisterProduct, Unit};
use o2c::shipment::ShipOrder;
use o2c::stock::{ReceiveStock, ReceivedLot, Tracking};
use o2c::{InvoiceId, OrderId, PaymentId, ProductId, ShipmentId};

use crate::support::{World, dec, usd};

/// Records the archival event: honey in lots, three jars delivered from lot H-1, invoiced,
/// paid and archived.
pub fn every_archival_event(w: &mut World) {
    let (customer, warehouse) = (w.customer, w.warehouse);
    let h = &mut w.h;
    let honey: ProductId = h.id();
    h.ok(RegisterProduct {
        product_id: honey,
        sku: "HONEY-500".into(),
        name: "Honey 500 g".into(),
        unit: Unit {
            code: "pcs".into(),
            decimals: 0,
        },
        list_price: usd("6.00"),
        category: None,
        floor_price: None,
        tracking: Tracking::Lot,
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
    h.ok(ReceiveStock {
        product_id: honey,
        warehouse_id: warehouse,
        quantity: dec("5"),
        reference: "PO-60".into(),
        location_id: None,
        lots: vec![ReceivedLot {
            number: "H-1".into(),
            expires_on: None,
            quantity: dec("5"),
        }],
    });
    let order: OrderId = h.id();
    h.ok(CreateQuotation {
        order_id: order,
        customer_id: customer,
        warehouse_id: warehouse,
        lines: vec![RequestedLine::new(honey, dec("3"))],
        customer_reference: "AC-HONEY".into(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    h.ok(ConfirmOrder { order_id: order });
    h.ok(ReserveStock { order_id: order });
    let shipment: ShipmentId = h.id();
    h.ok(ShipOrder {
        shipment_id: shipment,
        order_id: order,
        lines: vec![],
        warehouse_id: None,
        carrier: "DHL".into(),
        tracking_reference: "JD-60".into(),
    });
    let invoice: InvoiceId = h.id();
    h.ok(CreateInvoice {
        invoice_id: invoice,
        order_id: order,
        additional_orders: vec![],
        currency: None,
    });
    h.ok(PostInvoice { invoice_id: invoice });
    let total = h.engine.read(|book| book.invoice(invoice).unwrap().total);
    let payment: PaymentId = h.id();
    h.ok(ReceivePayment {
        payment_id: payment,
        customer_id: customer,
        amount: total,
        method: PaymentMethod::BankTransfer,
        reference: "AC-PAY-60".into(),
    });
    h.ok(AllocatePayment {
        payment_id: payment,
        invoice_id: invoice,
        amount: total,
        installment: None,
    });
    h.ok(ArchiveOrder { order_id: order });
}
