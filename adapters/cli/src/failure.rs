//! What a command reports when it fails: a message for the person at the terminal, and
//! the exit code the process ends with.

use std::fmt;
use std::io;

use o2c::StoreError;
use o2c::codec::IntegrityError;

/// Why a command stopped. Every failure ends the process with a non-zero exit code, except
/// a closed output pipe (`o2c events | head`), which is a normal way to stop reading.
#[derive(Debug)]
pub enum Failure {
    /// Something the person can act on; printed as is.
    Message(String),
    /// The log failed verification at a position.
    Integrity(IntegrityError),
    /// The reader of standard output went away.
    ClosedOutput,
}

impl Failure {
    /// A failure with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self::Message(message.into())
    }

    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::ClosedOutput => 0,
            Self::Message(_) | Self::Integrity(_) => 1,
        }
    }

    /// A store failure, in words, for the data directory `dir`.
    pub fn store(error: StoreError, dir: &std::path::Path) -> Self {
        match error {
            StoreError::Integrity(e) => Self::Integrity(e),
            StoreError::Backend(e) if e.to_string().contains("could not acquire lock") => Self::new(format!(
                "the data directory {} is in use by another process (an engine has it open): {e}",
                dir.display()
            )),
            other => Self::new(format!("cannot read the log in {}: {other}", dir.display())),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Message(message) => f.write_str(message),
            Self::Integrity(e) => {
                write!(
                    f,
                    "the log fails verification at position {}: {}",
                    e.position, e.problem
                )?;
                if e.position > 1 {
                    write!(f, " (positions 1 to {} verify)", e.position - 1)?;
                }
                Ok(())
            }
            Self::ClosedOutput => f.write_str("standard output was closed"),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Self::ClosedOutput
        } else {
            Self::new(format!("cannot write the output: {error}"))
        }
    }
}

impl From<o2c::Error> for Failure {
    fn from(error: o2c::Error) -> Self {
        match error {
            o2c::Error::Store(StoreError::Integrity(e)) => Self::Integrity(e),
            other => Self::new(other.to_string()),
        }
    }
}
