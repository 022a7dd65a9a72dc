//! Commands: every request the book can decide, and the request envelope (context +
//! command) the engine executes. Commands serialize with a stable external tag, e.g.
//! `{"ConfirmOrder":{"order_id":"…"}}`.

use serde::{Deserialize, Serialize};

use crate::archive::ArchiveOrder;
use crate::claim::{
    AskCustomer, CloseClaim, OpenClaim, RecordCustomerReply, RecordServiceLevelBreaches, ReopenClaim,
    ResolveClaim, RespondToClaim,
};
use crate::collections::RunDunning;
use crate::company::{ChangeCompanySettings, SetUpCompany};
use crate::context::CommandContext;
use crate::customer::{
    BlockCustomer, ChangeCustomer, DeactivateCustomer, ReactivateCustomer, RegisterCustomer,
    RegisterCustomerGroup, SetCreditLimit, UnblockCustomer,
};
use crate::document::AttachDocument;
use crate::envelope::Hash;
use crate::error::DomainError;
use crate::exchange::SetExchangeRate;
use crate::invoice::{
    ApplyCredit, CancelInvoice, ChangeDraftInvoiceLine, CreateCreditNote, CreateDownPaymentInvoice,
    CreateInvoice, PostInvoice, WriteOffInvoice,
};
use crate::location::{RegisterLocation, SetRemovalStrategy};
use crate::order::{
    AddOrderLine, AddQuotationLine, ApproveDiscount, CancelOrder, ChangeOrderLine, CloseOrder, ConfirmOrder,
    CreateQuotation, HoldOrder, OverrideLinePrice, ReleaseCreditHold, ReleaseOrder, RemoveQuotationLine,
    ReopenOrder, ReserveDue, ReserveStock, RevalidateQuotation, SendQuotation, SetFulfilmentPolicy,
    SetOrderDiscount, SubstituteProduct, UnreserveStock,
};
use crate::payment::{AllocatePayment, ReceivePayment};
use crate::payment::{AllocatePaymentAutomatically, RefundCustomerCredit, ReturnPayment};
use crate::payment_term::DefinePaymentTerm;
use crate::picking::{ConfirmWave, CreateWave, PackOrder, PickOrder};
use crate::pricing::{AddPriceRule, CreatePriceList, RemovePriceRule};
use crate::product::{ChangeProduct, RegisterProduct};
use crate::returns::{AuthoriseReturn, CancelReturn, InspectReturn, ReceiveReturn, ResolveReturn};
use crate::shipment::{ConfirmDelivery, ShipOrder};
use crate::stock::{AdjustInventory, MoveStock, ReceiveStock, ScrapStock};
use crate::tax::{DefineTax, SetFiscalPosition};
use crate::unit::DefineUnit;
use crate::warehouse::ConfigureWarehouse;
use crate::warehouse::RegisterWarehouse;

macro_rules! commands {
    ($($variant:ident),* $(,)?) => {
        /// A command to the book.
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[allow(missing_docs)] // each variant is documented on its command type
        pub enum Command {
            $($variant($variant),)*
        }

        $(impl From<$variant> for Command {
            fn from(c: $variant) -> Self {
                Command::$variant(c)
            }
        })*

        impl Command {
            /// Every command name, as in the JSON tags.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($variant)),*];

            /// The command's name, as in its JSON tag.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Command::$variant(_) => stringify!($variant),)*
                }
            }
        }
    };
}

commands!(
    SetUpCompany,
    ChangeCompanySettings,
    RegisterCustomerGroup,
    RegisterCustomer,
    ChangeCustomer,
    SetCreditLimit,
    BlockCustomer,
    UnblockCustomer,
    DeactivateCustomer,
    ReactivateCustomer,
    RegisterProduct,
    ChangeProduct,
    CreatePriceList,
    AddPriceRule,
    RemovePriceRule,
    DefineUnit,
    RegisterWarehouse,
    ConfigureWarehouse,
    RegisterLocation,
    SetRemovalStrategy,
    ReceiveStock,
    AdjustInventory,
    ScrapStock,
    MoveStock,
    CreateQuotation,
    AddQuotationLine,
    RemoveQuotationLine,
    ChangeOrderLine,
    SetOrderDiscount,
    OverrideLinePrice,
    SendQuotation,
    RevalidateQuotation,
    ApproveDiscount,
    ConfirmOrder,
    ReleaseCreditHold,
    AddOrderLine,
    HoldOrder,
    ReleaseOrder,
    CloseOrder,
    ReopenOrder,
    CancelOrder,
    SetFulfilmentPolicy,
    SubstituteProduct,
    ReserveStock,
    UnreserveStock,
    ReserveDue,
    PickOrder,
    PackOrder,
    CreateWave,
    ConfirmWave,
    ShipOrder,
    ConfirmDelivery,
    CreateInvoice,
    PostInvoice,
    CancelInvoice,
    ReceivePayment,
    AllocatePayment,
    DefineTax,
    SetFiscalPosition,
    SetExchangeRate,
    DefinePaymentTerm,
    CreateDownPaymentInvoice,
    ChangeDraftInvoiceLine,
    CreateCreditNote,
    ApplyCredit,
    WriteOffInvoice,
    AllocatePaymentAutomatically,
    ReturnPayment,
    RefundCustomerCredit,
    RunDunning,
    // Returns.
    AuthoriseReturn,
    ReceiveReturn,
    InspectReturn,
    ResolveReturn,
    CancelReturn,
    // Claims and documents.
    OpenClaim,
    RespondToClaim,
    AskCustomer,
    RecordCustomerReply,
    ResolveClaim,
    CloseClaim,
    ReopenClaim,
    RecordServiceLevelBreaches,
    AttachDocument,
    // Archival.
    ArchiveOrder,
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
        let actor = self.context.actor.id.as_str().as_bytes();
        Ok(Hash::of_parts(&[b"o2c.command.v1", actor, &body]))
    }
}
