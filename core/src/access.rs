//! Who may do what: roles, actors and their company memberships, and the policy table that
//! maps every command to the roles that may issue it.
//!
//! The embedding service authenticates its users and passes each command's [`Actor`]:
//! the actor id and, per company the actor belongs to, the roles held there. The book
//! checks every command against its [`Policy`] before deciding it: an actor who is not a
//! member of the book's company, or holds none of the roles the command needs, is refused
//! with [`DomainError::NotAuthorized`] and nothing is appended.
//!
//! The policy is data: [`Policy::standard`] is the documented default (see
//! `docs/domain.md`), and an embedding service may pass its own to [`crate::Book::decide`]
//! (through `o2c::Engine::set_policy`).
//! A command missing from a policy may be issued by nobody. Segregation of duties (the
//! person who raised an order cannot approve its discount or release its credit hold) is a
//! business rule checked by those commands, not by the table. Setting a credit limit while
//! registering a customer, or a customer group with a default limit, needs the roles of
//! `SetCreditLimit` as well.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::error::DomainError;
use crate::ids::{ActorId, CompanyId};

/// A role an actor may hold in a company.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Raises and edits quotations and orders.
    SalesRep,
    /// Approves discounts, overrides prices, manages price lists, holds and closes orders.
    SalesManager,
    /// Sets credit limits, blocks customers and releases credit holds.
    CreditController,
    /// Receives, reserves and ships stock.
    WarehouseOperator,
    /// Everything a warehouse operator does.
    WarehouseManager,
    /// Invoices and records payments.
    BillingClerk,
    /// Sets up the company and its master data.
    Admin,
    /// Reads everything, issues nothing.
    Auditor,
    /// Handles customer claims and receives returned goods' paperwork.
    CustomerService,
    /// Leads customer service: authorises returns, resolves and reopens claims.
    CustomerServiceLead,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Who issues a command: an id and the roles held in each company the actor belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The actor's id, recorded on every event the command appends.
    pub id: ActorId,
    /// Roles per company the actor belongs to.
    #[serde(default)]
    pub memberships: BTreeMap<CompanyId, BTreeSet<Role>>,
}

impl Actor {
    /// An actor who belongs to no company yet.
    pub fn new(id: ActorId) -> Self {
        Self {
            id,
            memberships: BTreeMap::new(),
        }
    }

    /// The same actor, also holding `roles` in `company`.
    pub fn member_of(mut self, company: CompanyId, roles: impl IntoIterator<Item = Role>) -> Self {
        self.memberships.entry(company).or_default().extend(roles);
        self
    }

    /// The roles held in `company` (empty when not a member).
    pub fn roles_in(&self, company: CompanyId) -> impl Iterator<Item = Role> + '_ {
        self.memberships.get(&company).into_iter().flatten().copied()
    }
}

/// Which roles may issue which command, by command name (as in the JSON tag).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Command name -> roles that may issue it.
    pub allowed: BTreeMap<String, BTreeSet<Role>>,
}

impl Default for Policy {
    fn default() -> Self {
        Self::standard()
    }
}

impl Policy {
    /// The documented default policy.
    pub fn standard() -> Self {
        use Role::*;
        let table: &[(&[&str], &[Role])] = &[
            (
                &[
                    "SetUpCompany",
                    "ChangeCompanySettings",
                    "RegisterWarehouse",
                    "DefineUnit",
                ],
                &[Admin],
            ),
            (
                &["ConfigureWarehouse", "RegisterLocation", "SetRemovalStrategy"],
                &[Admin, WarehouseManager],
            ),
            (&["RegisterProduct", "ChangeProduct"], &[Admin, SalesManager]),
            (
                &[
                    "RegisterCustomerGroup",
                    "RegisterCustomer",
                    "ChangeCustomer",
                    "DeactivateCustomer",
                    "ReactivateCustomer",
                ],
                &[Admin, SalesManager],
            ),
            (
                &["SetCreditLimit", "BlockCustomer", "UnblockCustomer"],
                &[CreditController],
            ),
            (
                &["CreatePriceList", "AddPriceRule", "RemovePriceRule"],
                &[Admin, SalesManager],
            ),
            (
                &[
                    "CreateQuotation",
                    "AddQuotationLine",
                    "AddOrderLine",
                    "ChangeOrderLine",
                    "RemoveQuotationLine",
                    "SetOrderDiscount",
                    "SendQuotation",
                    "RevalidateQuotation",
                    "ConfirmOrder",
                    "CancelOrder",
                    "SetFulfilmentPolicy",
                ],
                &[SalesRep, SalesManager],
            ),
            (
                &[
                    "OverrideLinePrice",
                    "ApproveDiscount",
                    "HoldOrder",
                    "ReleaseOrder",
                    "CloseOrder",
                    "ReopenOrder",
                    "SubstituteProduct",
                ],
                &[SalesManager],
            ),
            (&["ReleaseCreditHold"], &[CreditController]),
            (
                &[
                    "ReceiveStock",
                    "ReserveStock",
                    "UnreserveStock",
                    "ReserveDue",
                    "PickOrder",
                    "PackOrder",
                    "CreateWave",
                    "ConfirmWave",
                    "ShipOrder",
                    "ConfirmDelivery",
                    "MoveStock",
                ],
                &[WarehouseOperator, WarehouseManager],
            ),
            (&["AdjustInventory", "ScrapStock"], &[WarehouseManager]),
            (
                &[
                    "CreateInvoice",
                    "CreateDownPaymentInvoice",
                    "ChangeDraftInvoiceLine",
                    "PostInvoice",
                    "CancelInvoice",
                    "CreateCreditNote",
                    "ApplyCredit",
                    "WriteOffInvoice",
                    "ReceivePayment",
                    "AllocatePayment",
                    "AllocatePaymentAutomatically",
                    "ReturnPayment",
                    "RefundCustomerCredit",
                    "RunDunning",
                    "ArchiveOrder",
                ],
                &[BillingClerk],
            ),
            (&["DefineTax", "SetFiscalPosition", "DefinePaymentTerm"], &[Admin]),
            (&["SetExchangeRate"], &[Admin, BillingClerk]),
            // Returns.
            (
                &["AuthoriseReturn", "ResolveReturn", "CancelReturn"],
                &[SalesManager, CustomerServiceLead],
            ),
            (&["ReceiveReturn"], &[WarehouseOperator, WarehouseManager]),
            (&["InspectReturn"], &[WarehouseManager]),
            // Claims and documents.
            (
                &[
                    "OpenClaim",
                    "RespondToClaim",
                    "AskCustomer",
                    "RecordCustomerReply",
                    "ResolveClaim",
                    "CloseClaim",
                ],
                &[CustomerService, CustomerServiceLead],
            ),
            (&["ReopenClaim"], &[CustomerServiceLead]),
            (&["RecordServiceLevelBreaches"], &[CustomerServiceLead, Admin]),
            (
                &["AttachDocument"],
                &[
                    SalesRep,
                    SalesManager,
                    CreditController,
                    WarehouseOperator,
                    WarehouseManager,
                    BillingClerk,
                    Admin,
                    CustomerService,
                    CustomerServiceLead,
                ],
            ),
        ];
        let mut allowed = BTreeMap::new();
        for (commands, roles) in table {
            for command in *commands {
                allowed.insert((*command).to_string(), roles.iter().copied().collect());
            }
        }
        Self { allowed }
    }

    /// The roles that may issue a command (empty: nobody).
    pub fn roles_for(&self, command: &str) -> BTreeSet<Role> {
        self.allowed.get(command).cloned().unwrap_or_default()
    }

    /// Refuses `command` unless `actor` holds, in `company`, a role that may issue it.
    pub fn authorize(&self, actor: &Actor, company: CompanyId, command: &Command) -> Result<(), DomainError> {
        self.authorize_as(actor, company, command.name())
    }

    /// Refuses unless `actor` holds, in `company`, a role that may issue the command named
    /// `command` (also used for a part of a command that needs another command's roles).
    pub fn authorize_as(
        &self,
        actor: &Actor,
        company: CompanyId,
        command: &'static str,
    ) -> Result<(), DomainError> {
        let required = self.roles_for(command);
        if actor.roles_in(company).any(|role| required.contains(&role)) {
            Ok(())
        } else {
            Err(DomainError::NotAuthorized {
                actor: actor.id.clone(),
                command,
                company,
                required: required.into_iter().collect(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_policy_names_every_command_and_roles_that_exist() {
        let policy = Policy::standard();
        for name in Command::NAMES {
            assert!(
                !policy.roles_for(name).is_empty(),
                "{name} is missing from the standard policy"
            );
        }
        for name in policy.allowed.keys() {
            assert!(Command::NAMES.contains(&name.as_str()), "{name} is not a command");
        }
        assert!(
            policy
                .allowed
                .values()
                .all(|roles| !roles.contains(&Role::Auditor))
        );
    }
}
