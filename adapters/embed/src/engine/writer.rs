//! The single writer and group commit.
//!
//! Every `execute` call queues its request; if the writer lock is free it takes it and
//! leads, otherwise it waits on its own channel, which brings either its answer or the
//! turn to lead (a leader that finishes a batch wakes the caller of the oldest queued
//! request, and no one else). The leader drains the queue (up to [`EngineOptions::max_batch`](super::EngineOptions::max_batch) requests) and
//! processes it as one batch:
//!
//! 1. each request in turn: the idempotency check (against the store, then against the
//!    commands earlier in the same batch), the decision against the book, and at once
//!    the fold of its events into the book and the projections, so that the next
//!    decision sees them (one command at a time, as a ledger);
//! 2. the accepted commands' events are appended in one atomic write and one flush;
//! 3. only then every caller of the batch is answered and subscribers are told.
//!
//! A caller that finds its answer waiting when it gets the lock returns it at once. With
//! one caller at a time every batch holds one command; under concurrency the requests
//! that queue while a batch is being flushed form the next batch, so one flush serves
//! many commands: throughput grows with the number of callers, and each caller's
//! latency is at most about two flushes plus the decisions of one batch.
//!
//! While a batch is being flushed, readers may already see its decided commands (the
//! book is folded before the flush, so that the batch's later decisions see the earlier
//! ones); no caller is answered, and no subscriber sees an event, before it is durable.
//! If the append fails, the engine halts: it folds the book and the projections again
//! from what the log really holds (so readers no longer see the failed batch) and refuses
//! every later command until it is reopened.

use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TryRecvError, sync_channel};
use std::sync::{PoisonError, RwLockWriteGuard, TryLockError};
use std::time::Duration;

use chrono::Utc;
use o2c_core::store::CommandRecord;
use o2c_core::{Commit, Policy, RecordedEvent, Request};
use o2c_projections::{ProjectionStore, Projections};

use super::saver::Saver;
use super::{Engine, Error, Outcome, State};

/// The longest a waiting caller sleeps before it checks the writer lock itself (a safety
/// net: a leader hands the next batch over to a waiting caller when it finishes).
const WAIT_LIMIT: Duration = Duration::from_millis(20);

/// What a waiting caller is sent.
pub(super) enum Turn {
    /// Its command's outcome.
    Answer(Result<Outcome, Error>),
    /// The writer is free and requests are queued: lead the next batch.
    Lead,
}

/// A request waiting for the writer, and where its answer goes.
pub(super) struct Pending {
    request: Request,
    reply: SyncSender<Turn>,
}

/// The single writer's own state.
pub(super) struct Writer {
    /// Who may issue which command.
    pub(super) policy: Policy,
    /// Why the engine halted, if it did.
    halted: Option<String>,
    /// Stores the projections (none in memory).
    saver: Option<Saver>,
    /// The position the stored projections were last saved at.
    saved_at: u64,
}

/// What one request of a batch comes to.
enum Answer {
    /// Refused, or failed before anything was written.
    Failed(Error),
    /// Executed before this batch: the original events.
    Repeated(Vec<RecordedEvent>),
    /// Decided in this batch: the index of its commit, and whether it repeats an earlier
    /// request of the same batch.
    Decided { commit: usize, repeated: bool },
}

impl Writer {
    pub(super) fn new(projection_store: Option<ProjectionStore>, saved_at: u64) -> Self {
        Self {
            policy: Policy::default(),
            halted: None,
            saver: projection_store.map(Saver::start),
            saved_at,
        }
    }

    /// Stores the projections with their checkpoint now, after any save in the
    /// background (nothing to do in memory).
    pub(super) fn save_projections(&mut self, projections: &Projections) -> Result<(), Error> {
        if let Some(saver) = &mut self.saver {
            saver.save_now(projections)?;
            self.saved_at = projections.checkpoint();
        }
        Ok(())
    }

    /// Hands the projections to the background save when a checkpoint is due.
    fn checkpoint_projections(&mut self, projections: &Projections, every: u64) {
        // Every `every` events, but never more often than each quarter of the log: the
        // projections are stored whole, so a fixed interval would make the bytes written
        // grow with the square of the log's length.
        let interval = every.max(self.saved_at / 4);
        let head = projections.checkpoint();
        if head - self.saved_at >= interval
            && self
                .saver
                .as_ref()
                .is_some_and(|saver| saver.checkpoint(projections))
        {
            self.saved_at = head;
        }
    }
}

impl Engine {
    /// Executes a request: decides it, appends its events atomically and folds them into
    /// the book and the projections. A command id seen before returns the original events
    /// with `repeated` set (or [`o2c_core::DomainError::CommandIdReused`] if the request
    /// differs); a refused command appends nothing and changes nothing. Safe to call from
    /// many threads at once: concurrent commands are written in groups with one flush
    /// each (group commit); every caller is answered once its command is durable.
    pub fn execute(&self, request: Request) -> Result<Outcome, Error> {
        let (reply, answer) = sync_channel(2);
        self.queue().push(Pending { request, reply });
        loop {
            // Lead a batch if nobody is writing; otherwise wait on the own channel, which
            // brings either the answer or, from the leader that just finished, the turn to
            // lead. A caller whose command was answered returns at once instead of
            // queueing for the lock; one caller is woken to lead each next batch.
            let writer = match self.shared.writer.try_lock() {
                Ok(writer) => Some(writer),
                Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => None,
            };
            if let Some(mut writer) = writer {
                if let Some(result) = answered(&answer) {
                    return result;
                }
                self.run_batch(&mut writer);
                drop(writer);
                self.hand_over();
                if let Some(result) = answered(&answer) {
                    return result;
                }
                continue;
            }
            match answer.recv_timeout(WAIT_LIMIT) {
                Ok(Turn::Answer(result)) => return result,
                Ok(Turn::Lead) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Err(lost()),
            }
        }
    }

    /// After a batch: wakes the caller of the oldest queued request to lead the next one.
    fn hand_over(&self) {
        if let Some(next) = self.queue().first() {
            let _ = next.reply.try_send(Turn::Lead);
        }
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Vec<Pending>> {
        self.shared.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn state_mut(&self) -> RwLockWriteGuard<'_, State> {
        self.shared.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drains the queue (up to the batch limit) and processes it as one group commit.
    fn run_batch(&self, writer: &mut Writer) {
        let batch: Vec<Pending> = {
            let mut queue = self.queue();
            let take = queue.len().min(self.shared.options.max_batch.max(1));
            queue.drain(..take).collect()
        };
        if batch.is_empty() {
            return;
        }
        if let Some(reason) = &writer.halted {
            for pending in batch {
                let _ = pending.reply.send(Turn::Answer(Err(Error::Halted {
                    reason: reason.clone(),
                })));
            }
            return;
        }
        let expected = self.state().book.head().position;
        let mut commits: Vec<Commit> = Vec::new();
        let answers: Vec<Answer> = batch
            .iter()
            .map(|pending| self.decide_and_fold(writer, &pending.request, &mut commits))
            .collect();
        let written = if commits.is_empty() {
            Ok(())
        } else {
            self.shared.store.append_batch(expected, &commits).map(|_| ())
        };
        let mut failure = match written {
            Ok(()) => None,
            Err(e) => {
                tracing::error!(error = %e, commands = commits.len(), "append failed; engine halted");
                writer.halted = Some(e.to_string());
                self.refold_from_store();
                Some(Error::Store(e))
            }
        };
        if failure.is_none() && !commits.is_empty() {
            let head = self.state().book.head().position;
            self.shared.committed.publish(head);
            writer.checkpoint_projections(&self.state().projections, self.shared.options.checkpoint_every);
        }
        // Each commit's events go to the callers that decided it: moved out to the last of
        // them, copied only for an earlier caller that repeated the same command id.
        let mut callers = vec![0usize; commits.len()];
        for answer in &answers {
            if let Answer::Decided { commit, .. } = answer {
                callers[*commit] += 1;
            }
        }
        let mut decided: Vec<Vec<RecordedEvent>> = commits
            .into_iter()
            .map(|c| c.events.into_iter().map(|s| s.event).collect())
            .collect();
        for (pending, answer) in batch.into_iter().zip(answers) {
            let result = match answer {
                Answer::Failed(e) => Err(e),
                Answer::Repeated(events) => Ok(Outcome {
                    events,
                    repeated: true,
                }),
                Answer::Decided { commit, repeated } => match (&writer.halted, failure.take()) {
                    (_, Some(e)) => Err(e),
                    (Some(reason), None) => Err(Error::Halted {
                        reason: reason.clone(),
                    }),
                    (None, None) => {
                        callers[commit] -= 1;
                        let events = match callers[commit] {
                            0 => std::mem::take(&mut decided[commit]),
                            _ => decided[commit].clone(),
                        };
                        Ok(Outcome { events, repeated })
                    }
                },
            };
            let _ = pending.reply.send(Turn::Answer(result));
        }
    }

    /// Decides one request of a batch and, when accepted, folds its events at once.
    ///
    /// The request's fingerprint is computed once: here only for a command id seen before
    /// (to compare it with the recorded one), otherwise by `Book::prepare`, which seals it
    /// into the commit.
    fn decide_and_fold(&self, writer: &Writer, request: &Request, commits: &mut Vec<Commit>) -> Answer {
        let fingerprint = || request.fingerprint().map_err(Error::from);
        let command_id = request.context.command_id;
        match self.shared.store.find_command(command_id) {
            Ok(Some(record)) => {
                return match fingerprint() {
                    Ok(fingerprint) => self.repeat_stored(&record, fingerprint),
                    Err(e) => Answer::Failed(e),
                };
            }
            Ok(None) => {}
            Err(e) => return Answer::Failed(e.into()),
        }
        if let Some(index) = commits.iter().position(|c| c.command_id == command_id) {
            let fingerprint = match fingerprint() {
                Ok(fingerprint) => fingerprint,
                Err(e) => return Answer::Failed(e),
            };
            return match commits[index].fingerprint == fingerprint {
                true => Answer::Decided {
                    commit: index,
                    repeated: true,
                },
                false => Answer::Failed(o2c_core::DomainError::CommandIdReused { command_id }.into()),
            };
        }
        let commit = match self.state().book.prepare(&writer.policy, request, Utc::now()) {
            Ok(commit) => commit,
            Err(e) => return Answer::Failed(e.into()),
        };
        let mut state = self.state_mut();
        let State { book, projections } = &mut *state;
        for sealed in &commit.events {
            book.apply(&sealed.event);
            projections.apply(&sealed.event, book);
        }
        drop(state);
        commits.push(commit);
        Answer::Decided {
            commit: commits.len() - 1,
            repeated: false,
        }
    }

    /// After a failed append: the book and projections folded again from the log as it
    /// stands. If the log cannot be read either, the state is left as it is (the engine
    /// is halted either way).
    fn refold_from_store(&self) {
        let mut book = o2c_core::Book::new();
        let mut projections = Projections::default();
        let mut chain = o2c_core::ChainVerifier::new();
        for event in self.shared.store.read_log(1) {
            let checked = event.map_err(Error::from).and_then(|event| {
                chain
                    .check(&event)
                    .map_err(|e| Error::Store(o2c_core::StoreError::from(e)))?;
                Ok(event)
            });
            match checked {
                Ok(event) => {
                    book.apply(&event);
                    projections.apply(&event, &book);
                }
                Err(e) => {
                    tracing::error!(error = %e, "the log cannot be read after a failed append");
                    return;
                }
            }
        }
        *self.state_mut() = State { book, projections };
    }

    fn repeat_stored(&self, record: &CommandRecord, fingerprint: o2c_core::Hash) -> Answer {
        if let Err(e) = record.check_repeat(fingerprint) {
            return Answer::Failed(e.into());
        }
        match self.shared.store.command_events(record) {
            Ok(events) => Answer::Repeated(events),
            Err(e) => Answer::Failed(e.into()),
        }
    }
}

/// The answer, if the writer has sent it (a turn to lead is dropped: the caller is about
/// to take or has taken the lock).
fn answered(answer: &Receiver<Turn>) -> Option<Result<Outcome, Error>> {
    loop {
        match answer.try_recv() {
            Ok(Turn::Answer(result)) => return Some(result),
            Ok(Turn::Lead) => {}
            Err(TryRecvError::Disconnected) => return Some(Err(lost())),
            Err(TryRecvError::Empty) => return None,
        }
    }
}

/// A request dropped without an answer; only possible if a writer thread died mid-batch.
fn lost() -> Error {
    Error::Halted {
        reason: "the writer stopped before answering this command".into(),
    }
}
