//! Summaries of sales events: quotations, confirmation and the credit check, changes
//! after confirmation, holds, closing, cancelling, substitutes and fulfilment policies.

use o2c::Money;
use o2c::archive::OrderArchived;
use o2c::order::{
    ApprovalReason, BackorderPolicy, CreditHold, CreditHoldReason, CreditHoldReleased, DiscountApproved,
    FulfilmentPolicySet, LinePriceOverridden, LineSubstituted, OrderCancelled, OrderClosed, OrderConfirmed,
    OrderDiscountSet, OrderHeld, OrderLineAdded, OrderLineChanged, OrderReleased, OrderReopened,
    QuotationCreated, QuotationLineAdded, QuotationLineRemoved, QuotationRevalidated, QuotationSent,
    QuotedLine, ShippingPolicy,
};
use o2c::rust_decimal::Decimal;

use super::{Names, because, listed};
use crate::format;

fn quoted(line: &QuotedLine, names: &Names<'_>) -> String {
    let discount = if line.discount_percent > Decimal::ZERO {
        format!(" less {}", format::percent(line.discount_percent))
    } else {
        String::new()
    };
    format!(
        "{} {} {} at {}{discount}",
        format::quantity(line.quantity),
        line.unit,
        names.product(line.product_id),
        names.money(&line.unit_price)
    )
}

fn of_limit(limit: Option<Money>, names: &Names<'_>) -> String {
    limit.map_or_else(
        || ", no credit limit".into(),
        |l| format!(" of limit {}", names.money(&l)),
    )
}

/// Why an order went on credit hold, in words.
pub fn hold_reason(reason: &CreditHoldReason, names: &Names<'_>) -> String {
    match reason {
        CreditHoldReason::OverCreditLimit { exposure, limit } => format!(
            "exposure {} over limit {}",
            names.money(exposure),
            names.money(limit)
        ),
        CreditHoldReason::OverdueInvoices {
            overdue_amount,
            oldest_due_date,
        } => format!("{} overdue since {oldest_due_date}", names.money(overdue_amount)),
        CreditHoldReason::CustomerBlocked { reason } => format!("customer blocked ({reason})"),
    }
}

fn hold(hold: &Option<CreditHold>, names: &Names<'_>) -> String {
    match hold {
        Some(hold) => format!(
            "; ON CREDIT HOLD: {}",
            listed(hold.reasons.iter().map(|r| hold_reason(r, names)))
        ),
        None => String::new(),
    }
}

pub(super) fn quotation_created(e: &QuotationCreated, names: &Names<'_>) -> String {
    let reference = if e.customer_reference.is_empty() {
        String::new()
    } else {
        format!(" (their reference {})", e.customer_reference)
    };
    format!(
        "Quotation for {}{reference} from {}: {}",
        names.customer(e.customer_id),
        names.warehouse(e.warehouse_id),
        listed(e.lines.iter().map(|l| quoted(l, names)))
    )
}

pub(super) fn quotation_line_added(e: &QuotationLineAdded, names: &Names<'_>) -> String {
    format!("Line {} added: {}", e.line.line, quoted(&e.line, names))
}

pub(super) fn quotation_line_removed(e: &QuotationLineRemoved, _names: &Names<'_>) -> String {
    format!("Line {} removed from the quotation", e.line)
}

pub(super) fn order_discount_set(e: &OrderDiscountSet) -> String {
    format!("Order discount set to {}", format::percent(e.discount_percent))
}

pub(super) fn line_price_overridden(e: &LinePriceOverridden, names: &Names<'_>) -> String {
    format!(
        "Price of line {} set by hand to {}{}",
        e.line,
        names.money(&e.unit_price),
        because(&e.reason)
    )
}

pub(super) fn quotation_sent(e: &QuotationSent, names: &Names<'_>) -> String {
    format!("Quotation sent to the customer ({})", names.order(e.order_id))
}

pub(super) fn quotation_revalidated(e: &QuotationRevalidated) -> String {
    format!(
        "Quotation revalidated until {}: {} line price(s) taken again",
        e.valid_until,
        e.prices.len()
    )
}

pub(super) fn discount_approved(e: &DiscountApproved, names: &Names<'_>) -> String {
    let reasons = listed(e.reasons.iter().map(|reason| match reason {
        ApprovalReason::DiscountAboveThreshold {
            line,
            discount_percent,
            threshold,
        } => format!(
            "line {line} discount {} above {}",
            format::percent(*discount_percent),
            format::percent(*threshold)
        ),
        ApprovalReason::BelowFloorPrice {
            line,
            net_price,
            floor_price,
        } => format!(
            "line {line} at {} below floor {}",
            names.money(net_price),
            names.money(floor_price)
        ),
    }));
    format!("Discount approved ({reasons}){}", because(&e.note))
}

pub(super) fn order_confirmed(e: &OrderConfirmed, names: &Names<'_>) -> String {
    format!(
        "Order confirmed: value {}, exposure {}{}{}",
        names.money(&e.amount),
        names.money(&e.exposure),
        of_limit(e.credit_limit, names),
        hold(&e.credit_hold, names)
    )
}

pub(super) fn credit_hold_released(e: &CreditHoldReleased, names: &Names<'_>) -> String {
    format!(
        "Credit hold released with exposure {}{}, {} overdue{}",
        names.money(&e.exposure),
        of_limit(e.credit_limit, names),
        names.money(&e.overdue_amount),
        because(&e.note)
    )
}

pub(super) fn order_line_changed(e: &OrderLineChanged, names: &Names<'_>) -> String {
    let released = if e.released > Decimal::ZERO {
        format!(", {} unreserved", format::quantity(e.released))
    } else {
        String::new()
    };
    let unit = match names.order_line_unit(e.order_id, e.line) {
        unit if unit.is_empty() => unit,
        unit => format!(" {unit}"),
    };
    format!(
        "Line {} changed to {}{unit} at {}{released}{}{}",
        e.line,
        format::quantity(e.quantity),
        names.money(&e.unit_price),
        because(&e.reason),
        hold(&e.credit_hold, names)
    )
}

pub(super) fn order_line_added(e: &OrderLineAdded, names: &Names<'_>) -> String {
    format!(
        "Line {} added to the confirmed order: {}{}{}",
        e.line.line,
        quoted(&e.line, names),
        because(&e.reason),
        hold(&e.credit_hold, names)
    )
}

pub(super) fn order_held(e: &OrderHeld) -> String {
    format!("Order put on hold{}", because(&e.reason))
}

pub(super) fn order_released(e: &OrderReleased) -> String {
    format!("Order hold lifted{}", because(&e.reason))
}

pub(super) fn order_closed(e: &OrderClosed, names: &Names<'_>) -> String {
    let released = if e.released.is_empty() {
        String::new()
    } else {
        format!("; not shipped: {}", names.goods(e.order_id, &e.released))
    };
    format!("Order closed{}{released}", because(&e.reason))
}

/// "Order archived with 1 shipment, 1 invoice and 1 payment".
pub(super) fn order_archived(e: &OrderArchived, names: &Names<'_>) -> String {
    let count = |n: usize, what: &str| match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    };
    format!(
        "Order of {} archived with {}, {} and {}",
        names.customer(e.customer_id),
        count(e.shipment_ids.len(), "shipment"),
        count(e.invoice_ids.len(), "invoice"),
        count(e.payment_ids.len(), "payment"),
    )
}

pub(super) fn order_reopened(e: &OrderReopened, names: &Names<'_>) -> String {
    format!(
        "Order reopened{}{}",
        because(&e.reason),
        hold(&e.credit_hold, names)
    )
}

pub(super) fn order_cancelled(e: &OrderCancelled, names: &Names<'_>) -> String {
    let released = if e.released.is_empty() {
        String::new()
    } else {
        format!("; not shipped: {}", names.goods(e.order_id, &e.released))
    };
    format!("Order cancelled{}{released}", because(&e.reason))
}

pub(super) fn line_substituted(e: &LineSubstituted, names: &Names<'_>) -> String {
    let price = if e.kept_price {
        "at the original price".to_string()
    } else {
        format!("at {}", names.money(&e.unit_price))
    };
    format!(
        "Line {}: {} replaced by {} {price}{}",
        e.line,
        names.product(e.original_id),
        names.product(e.substitute_id),
        because(&e.reason)
    )
}

pub(super) fn fulfilment_policy_set(e: &FulfilmentPolicySet) -> String {
    let shipping = match e.shipping_policy {
        ShippingPolicy::AsSoonAsPossible => "ship what is ready",
        ShippingPolicy::WhenComplete => "ship only when complete",
    };
    let backorder = match e.backorder_policy {
        None => "the customer's backorder policy",
        Some(BackorderPolicy::CreateBackorder) => "keep the rest as a backorder",
        Some(BackorderPolicy::CancelRest) => "cancel what cannot ship",
    };
    let urgent = if e.urgent { ", urgent" } else { "" };
    format!("Fulfilment: {shipping}, {backorder}{urgent}")
}
