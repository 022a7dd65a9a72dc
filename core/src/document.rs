//! Document references: contracts, tax exemption certificates, proofs of delivery, photos
//! of damage and correspondence, attached to a customer, an order, a shipment, an invoice,
//! a return or a claim.
//!
//! The bytes live in the embedding service's storage; the book keeps the reference, the
//! SHA-256 of the bytes (64 lowercase hexadecimal characters, so the file can be checked
//! against it), the title, an optional expiry, who attached it and when (from the
//! command's envelope). Documents are never deleted: a new document *supersedes* the
//! current one about the same record and of the same kind, and both stay readable.
//!
//! **Tax exemption certificates** are attached to a customer. While an exempt customer has
//! a current certificate document, the documents decide the exemption: it applies on a
//! date when one of the customer's current certificates has no expiry or expires on or
//! after that date (the latest expiry among them wins, and the expiry written in the
//! customer's tax treatment is no longer read). A customer without a certificate document
//! keeps the expiry of its tax treatment. A document never makes a taxable customer exempt
//! (see [`crate::tax::treatment_on`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ActorId, ClaimId, CustomerId, DocumentId, InvoiceId, OrderId, ReturnId, ShipmentId};
use crate::validate;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocumentKind {
    /// A contract.
    Contract,
    /// A tax exemption certificate (about a customer only).
    TaxExemptionCertificate,
    /// A proof of delivery.
    ProofOfDelivery,
    /// A photo of damaged goods.
    PhotoOfDamage,
    /// Correspondence with the customer.
    Correspondence,
}

/// The record a document is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocumentSubject {
    /// A customer.
    Customer {
        /// The customer.
        customer_id: CustomerId,
    },
    /// An order.
    Order {
        /// The order.
        order_id: OrderId,
    },
    /// A shipment.
    Shipment {
        /// The shipment.
        shipment_id: ShipmentId,
    },
    /// An invoice.
    Invoice {
        /// The invoice.
        invoice_id: InvoiceId,
    },
    /// A return authorisation.
    Return {
        /// The return.
        return_id: ReturnId,
    },
    /// A claim.
    Claim {
        /// The claim.
        claim_id: ClaimId,
    },
}

impl DocumentSubject {
    /// The record's id (ids are unique across kinds).
    pub fn record_id(&self) -> Uuid {
        match self {
            Self::Customer { customer_id } => customer_id.0,
            Self::Order { order_id } => order_id.0,
            Self::Shipment { shipment_id } => shipment_id.0,
            Self::Invoice { invoice_id } => invoice_id.0,
            Self::Return { return_id } => return_id.0,
            Self::Claim { claim_id } => claim_id.0,
        }
    }
}

/// Command: attach a document reference to a record (superseding a current one, if named).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachDocument {
    /// The new document's id.
    pub document_id: DocumentId,
    /// The record it is about.
    pub about: DocumentSubject,
    /// What it is.
    pub kind: DocumentKind,
    /// Its title.
    pub title: String,
    /// Where the embedding service stores the bytes (not blank).
    pub storage_reference: String,
    /// SHA-256 of the bytes: 64 lowercase hexadecimal characters.
    pub sha256: String,
    /// Last day it is valid, if it expires.
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
    /// The current document it supersedes (same record, same kind).
    #[serde(default)]
    pub supersedes_document_id: Option<DocumentId>,
}

/// Event: a document reference was attached. Who and when are the envelope's actor and
/// business time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentAttached {
    /// The document.
    pub document_id: DocumentId,
    /// The record it is about.
    pub about: DocumentSubject,
    /// What it is.
    pub kind: DocumentKind,
    /// Its title.
    pub title: String,
    /// Where the bytes are stored.
    pub storage_reference: String,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// Last day it is valid, if it expires.
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
    /// The document it supersedes, if any.
    #[serde(default)]
    pub supersedes_document_id: Option<DocumentId>,
}

/// A document reference's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The document's id.
    pub id: DocumentId,
    /// The record it is about.
    pub about: DocumentSubject,
    /// What it is.
    pub kind: DocumentKind,
    /// Its title.
    pub title: String,
    /// Where the bytes are stored.
    pub storage_reference: String,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// Last day it is valid, if it expires.
    pub expires_on: Option<NaiveDate>,
    /// The document it superseded.
    pub supersedes: Option<DocumentId>,
    /// The document that superseded it, if any.
    pub superseded_by: Option<DocumentId>,
    /// Who attached it.
    pub attached_by: ActorId,
    /// When (business time).
    pub attached_at: DateTime<Utc>,
}

impl Document {
    /// Not superseded.
    pub fn is_current(&self) -> bool {
        self.superseded_by.is_none()
    }

    /// Valid on a date: no expiry, or expiring on or after it.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.expires_on.is_none_or(|expiry| date <= expiry)
    }
}

/// Length of a SHA-256 digest in hexadecimal characters.
pub const SHA256_HEX_LEN: usize = 64;

/// Refuses anything but 64 lowercase hexadecimal characters.
fn validate_sha256(sha256: &str) -> Result<(), DomainError> {
    let hex =
        sha256.len() == SHA256_HEX_LEN && sha256.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if hex {
        Ok(())
    } else {
        Err(DomainError::InvalidDocumentHash {
            sha256: sha256.to_string(),
        })
    }
}

/// The customer a record belongs to, refused when the record does not exist.
pub(crate) fn subject_customer(book: &Book, about: &DocumentSubject) -> Result<CustomerId, DomainError> {
    Ok(match *about {
        DocumentSubject::Customer { customer_id } => book.require_customer(customer_id)?.id,
        DocumentSubject::Order { order_id } => book.require_order(order_id)?.customer_id,
        DocumentSubject::Shipment { shipment_id } => book.require_shipment(shipment_id)?.customer_id,
        DocumentSubject::Invoice { invoice_id } => book.require_invoice(invoice_id)?.customer_id,
        DocumentSubject::Return { return_id } => crate::claim::handling::return_customer(book, return_id)?,
        DocumentSubject::Claim { claim_id } => book.require_claim(claim_id)?.customer_id,
    })
}

pub(crate) fn attach(book: &Book, cmd: &AttachDocument) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    book.require_unused(cmd.document_id.0)?;
    subject_customer(book, &cmd.about)?;
    if cmd.kind == DocumentKind::TaxExemptionCertificate
        && !matches!(cmd.about, DocumentSubject::Customer { .. })
    {
        return Err(DomainError::DocumentKindNotForSubject {
            kind: cmd.kind,
            about: cmd.about,
        });
    }
    validate::name("title", &cmd.title)?;
    validate::name("storage_reference", &cmd.storage_reference)?;
    validate_sha256(&cmd.sha256)?;
    if let Some(old_id) = cmd.supersedes_document_id {
        let old = book.require_document(old_id)?;
        if let Some(superseded_by) = old.superseded_by {
            return Err(DomainError::DocumentAlreadySuperseded {
                document_id: old_id,
                superseded_by,
            });
        }
        if old.about != cmd.about || old.kind != cmd.kind {
            return Err(DomainError::SupersededDocumentMismatch {
                document_id: old_id,
                about: old.about,
                kind: old.kind,
            });
        }
    }
    Ok(vec![Event::DocumentAttached(DocumentAttached {
        document_id: cmd.document_id,
        about: cmd.about,
        kind: cmd.kind,
        title: cmd.title.clone(),
        storage_reference: cmd.storage_reference.clone(),
        sha256: cmd.sha256.clone(),
        expires_on: cmd.expires_on,
        supersedes_document_id: cmd.supersedes_document_id,
    })])
}

pub(crate) fn apply_attached(book: &mut Book, e: &DocumentAttached, actor: &ActorId, at: DateTime<Utc>) {
    if let Some(old) = e
        .supersedes_document_id
        .and_then(|id| book.documents.get_mut(&id))
    {
        old.superseded_by = Some(e.document_id);
    }
    book.documents.insert(
        e.document_id,
        Document {
            id: e.document_id,
            about: e.about,
            kind: e.kind,
            title: e.title.clone(),
            storage_reference: e.storage_reference.clone(),
            sha256: e.sha256.clone(),
            expires_on: e.expires_on,
            supersedes: e.supersedes_document_id,
            superseded_by: None,
            attached_by: actor.clone(),
            attached_at: at,
        },
    );
    book.documents_by_record
        .entry(e.about.record_id())
        .or_default()
        .push(e.document_id);
}

/// Whether the exemption of an exempt customer holds on a date by its certificate
/// documents: `None` when it has no current certificate document (the tax treatment's own
/// expiry decides), else whether one of them is valid on the date.
pub fn certificate_valid_on(book: &Book, customer_id: CustomerId, date: NaiveDate) -> Option<bool> {
    let about = DocumentSubject::Customer { customer_id };
    let mut certificates = book
        .documents_about(&about)
        .filter(|d| d.kind == DocumentKind::TaxExemptionCertificate && d.is_current())
        .peekable();
    certificates.peek()?;
    Some(certificates.any(|d| d.valid_on(date)))
}

impl Book {
    /// A document reference.
    pub fn document(&self, id: DocumentId) -> Option<&Document> {
        self.documents.get(&id)
    }

    /// The documents about a record, current and superseded, in the order they were
    /// attached.
    pub fn documents_about<'a>(
        &'a self,
        about: &'a DocumentSubject,
    ) -> impl Iterator<Item = &'a Document> + 'a {
        self.documents_by_record
            .get(&about.record_id())
            .into_iter()
            .flatten()
            .filter_map(|id| self.documents.get(id))
            .filter(move |d| d.about == *about)
    }

    pub(crate) fn require_document(&self, id: DocumentId) -> Result<&Document, DomainError> {
        self.documents
            .get(&id)
            .ok_or(DomainError::UnknownDocument { document_id: id })
    }
}
