//! Subscriptions: following the log from a position, first what is stored, then what is
//! committed next.
//!
//! A subscription is a cursor on the log, not a queue fed by the writer: it reads events
//! from the store by position, up to the position the writer last published as durable,
//! and when it has caught up it waits for the writer's next publication. Catch-up and
//! live delivery are the same read, so nothing can fall between them or come twice, and
//! order is the log's. The writer only publishes a number and wakes waiters; a slow or
//! stalled subscriber holds no lock and no buffer the writer could wait for.

use std::collections::VecDeque;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use o2c_core::RecordedEvent;

use super::{Error, Shared};

/// How many events one read from the store fetches at most.
const READ_AHEAD: u64 = 1024;

/// A cursor following the engine's log. Create it with [`super::Engine::subscribe`].
///
/// ```
/// # use o2c::Engine;
/// let engine = Engine::in_memory();
/// let mut subscription = engine.subscribe(1);
/// // Nothing committed yet: waiting returns None after the timeout.
/// assert!(subscription.next_timeout(std::time::Duration::from_millis(1))?.is_none());
/// # Ok::<(), o2c::Error>(())
/// ```
#[derive(Clone)]
pub struct Subscription {
    shared: Arc<Shared>,
    /// The position of the next event to deliver.
    next: u64,
    buffer: VecDeque<RecordedEvent>,
}

impl Subscription {
    pub(super) fn new(shared: Arc<Shared>, from: u64) -> Self {
        Self {
            shared,
            next: from.max(1),
            buffer: VecDeque::new(),
        }
    }

    /// The position of the next event this subscription delivers.
    pub fn position(&self) -> u64 {
        self.buffer.front().map_or(self.next, |e| e.position)
    }

    /// The next event if one is committed, without waiting.
    pub fn try_next(&mut self) -> Result<Option<RecordedEvent>, Error> {
        self.next_timeout(Duration::ZERO)
    }

    /// The next event, waiting up to `timeout` for one to be committed.
    pub fn next_timeout(&mut self, timeout: Duration) -> Result<Option<RecordedEvent>, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(event) = self.buffer.pop_front() {
                return Ok(Some(event));
            }
            let committed = self.wait_for(self.next, deadline);
            if committed < self.next {
                return Ok(None);
            }
            self.fill(committed)?;
        }
    }

    /// The next event, waiting as long as it takes.
    pub fn recv(&mut self) -> Result<RecordedEvent, Error> {
        loop {
            if let Some(event) = self.next_timeout(Duration::from_secs(3600))? {
                return Ok(event);
            }
        }
    }

    /// Waits until the committed position reaches `position` or the deadline passes;
    /// returns the committed position.
    fn wait_for(&self, position: u64, deadline: Instant) -> u64 {
        let committed = &self.shared.committed;
        let mut current = committed.position.lock().unwrap_or_else(PoisonError::into_inner);
        while *current < position {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            current = committed
                .changed
                .wait_timeout(current, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *current
    }

    /// Reads the next stored events, up to the committed position.
    fn fill(&mut self, committed: u64) -> Result<(), Error> {
        let count = (committed + 1 - self.next).min(READ_AHEAD);
        for event in self.shared.store.read_log(self.next).take(count as usize) {
            let event = event?;
            self.next = event.position + 1;
            self.buffer.push_back(event);
        }
        Ok(())
    }
}

impl Iterator for Subscription {
    type Item = Result<RecordedEvent, Error>;

    /// Blocks until the next event is committed.
    fn next(&mut self) -> Option<Self::Item> {
        Some(self.recv())
    }
}
