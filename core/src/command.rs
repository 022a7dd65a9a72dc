//! Commands: every request the book can decide, and the request envelope (context +
//! command) the engine executes. Commands serialize with a stable external tag, e.g.
//! `{"ConfirmOrder":{"order_id":"…"}}`.

use serde::{Deserialize, Serialize};

use crate::company::SetUpCompany;
use crate::context::CommandContext;
use crate::customer::RegisterCustomer;
use crate::envelope::Hash;
use crate::error::DomainError;
use crate::invoice::{CancelInvoice, CreateInvoice, PostInvoice};
use crate::order::{AddQuotationLine, ConfirmOrder, CreateQuotation, ReserveStock};
use crate::payment::{AllocatePayment, ReceivePayment};
use crate::product::RegisterProduct;
use crate::shipment::ShipOrder;
use crate::stock::ReceiveStock;
use crate::warehouse::RegisterWarehouse;

/// A command to the book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)] // each variant is documented on its command type
pub enum Command {
    SetUpCompany(SetUpCompany),
    RegisterCustomer(RegisterCustomer),
    RegisterProduct(RegisterProduct),
    RegisterWarehouse(RegisterWarehouse),
    ReceiveStock(ReceiveStock),
    CreateQuotation(CreateQuotation),
    AddQuotationLine(AddQuotationLine),
    ConfirmOrder(ConfirmOrder),
    ReserveStock(ReserveStock),
    ShipOrder(ShipOrder),
    CreateInvoice(CreateInvoice),
    PostInvoice(PostInvoice),
    CancelInvoice(CancelInvoice),
    ReceivePayment(ReceivePayment),
    AllocatePayment(AllocatePayment),
}

macro_rules! command_from {
    ($($variant:ident),* $(,)?) => {
        $(impl From<$variant> for Command {
            fn from(c: $variant) -> Self {
                Command::$variant(c)
            }
        })*

        impl Command {
            /// The command's name, as in its JSON tag.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Command::$variant(_) => stringify!($variant),)*
                }
            }
        }
    };
}

command_from!(
    SetUpCompany,
    RegisterCustomer,
    RegisterProduct,
    RegisterWarehouse,
    ReceiveStock,
    CreateQuotation,
    AddQuotationLine,
    ConfirmOrder,
    ReserveStock,
    ShipOrder,
    CreateInvoice,
    PostInvoice,
    CancelInvoice,
    ReceivePayment,
    AllocatePayment,
);

/// A command with its context: what the engine executes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Who, when, under which command id.
    pub context: CommandContext,
    /// What.
    pub command: Command,
}

impl Request {
    /// A request.
    pub fn new(context: CommandContext, command: impl Into<Command>) -> Self {
        Self {
            context,
            command: command.into(),
        }
    }

    /// SHA-256 over the actor and the command body. Two requests with the same command id
    /// are the same command when their fingerprints match; business time, correlation and
    /// causation are not part of it, so a client may retry with a fresh timestamp.
    pub fn fingerprint(&self) -> Result<Hash, DomainError> {
        let body = serde_json::to_vec(&self.command).map_err(|e| DomainError::Encoding {
            message: e.to_string(),
        })?;
        let actor = self.context.actor.as_str().as_bytes();
        Ok(Hash::of_parts(&[b"o2c.command.v1", actor, &body]))
    }
}
