//! The single writer and pipelined group commit.
//!
//! Every `execute` call queues its request; if the writer lock is free it takes it and
//! leads, otherwise it waits on its own channel, which brings either its answer or the
//! turn to lead (whoever releases the writer lock wakes the caller of the oldest queued
//! request, and no one else). The leader drains the queue (up to [`EngineOptions::max_batch`](super::EngineOptions::max_batch)
//! requests) and processes it as one batch in two stages:
//!
//! 1. **decide**, under the writer lock: each request in turn gets the idempotency check
//!    (against the commands decided but not yet durable, then against the store), the
//!    decision against the book, and at once the fold of its events into the book and the
//!    projections, so that the next decision sees them (one command at a time, as a
//!    ledger);
//! 2. **append**, under the append lock, which the leader takes *before* it releases the
//!    writer lock (so batches are appended in the order they were decided): the accepted
//!    commands' events in one atomic write and one flush; only then is every caller of
//!    the batch answered and are subscribers told.
//!
//! The next batch is decided while this one is flushed: the stages overlap, so a flush
//! no longer stalls the decisions queued behind it. A leader whose batch is decided
//! before the flush ahead of it ends keeps taking in the requests that arrive meanwhile
//! (up to the batch limit), so one flush still serves every command that queued during
//! the one before it. With one caller at a time every batch holds one command.
//!
//! While a batch is being flushed, readers may already see its decided commands, and
//! those of the batch decided after it (the book is folded as commands are decided);
//! no caller is answered, and no subscriber sees an event, before it is durable. A
//! request that repeats the command id of a command decided but not yet durable is
//! answered with that command's events once they are (never decided twice). If an
//! append fails, the engine halts: every batch decided after it is refused too, the book
//! and the projections are folded again from what the log really holds (so readers no
//! longer see the failed batches), and every later command is refused until the engine
//! is reopened.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TryRecvError, sync_channel};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLockWriteGuard, TryLockError};
use std::time::Duration;

use chrono::Utc;
use o2c_core::store::CommandRecord;
use o2c_core::uuid::Uuid;
use o2c_core::{Commit, Hash, Policy, RecordedEvent, Request};
use o2c_projections::Projections;

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

/// Requests waiting for the writer.
#[derive(Default)]
pub(super) struct Queue {
    pending: Vec<Pending>,
    /// True while a leader whose batch is decided waits for the batch before it to be
    /// flushed: a request that arrives then wakes it, to join its batch.
    leader_waiting: bool,
}

impl Queue {
    /// Up to `limit` queued requests, oldest first.
    fn take(&mut self, limit: usize) -> Vec<Pending> {
        let take = self.pending.len().min(limit);
        self.pending.drain(..take).collect()
    }
}

/// What only the deciding stage reads and changes (behind the writer lock).
pub(super) struct Writer {
    /// Who may issue which command.
    pub(super) policy: Policy,
    /// The position of the last projections checkpoint handed over to be stored.
    saved_at: u64,
}

/// The commands decided but not yet durable, by command id, with their requests'
/// fingerprints: a repeat of one waits for it instead of being decided again. An id
/// leaves only once its batch's append has returned (so the store's command index
/// already holds it when it succeeded), and is looked up here before the store.
pub(super) type InFlight = HashMap<Uuid, Hash>;

/// What one request of a batch comes to.
enum Answer {
    /// Refused, or failed before anything was written.
    Failed(Error),
    /// Executed before this batch and durable: the original events.
    Repeated(Vec<RecordedEvent>),
    /// Repeats a command decided in this batch or an earlier one that is not yet
    /// durable: its events are read back once this batch is appended.
    RepeatsInFlight(Uuid),
    /// Decided in this batch: the index of its commit.
    Decided(usize),
}

/// A batch between its two stages.
struct Decided {
    batch: Vec<Pending>,
    answers: Vec<Answer>,
    commits: Vec<Commit>,
    /// The log's head position the batch was decided on (what the store must be at).
    expected: u64,
    /// A copy of the projections at the batch's end, to be stored once it is durable.
    checkpoint: Option<Projections>,
}

impl Writer {
    pub(super) fn new(saved_at: u64) -> Self {
        Self {
            policy: Policy::default(),
            saved_at,
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
        {
            let mut queue = self.queue();
            queue.pending.push(Pending { request, reply });
            if queue.leader_waiting {
                self.shared.arrived.notify_one();
            }
        }
        loop {
            // Lead a batch if nobody is deciding; otherwise wait on the own channel, which
            // brings either the answer or the turn to lead. A caller whose command was
            // answered returns at once instead of queueing for the lock.
            if let Some(writer) = try_take(&self.shared.writer) {
                if let Some(result) = answered(&answer) {
                    drop(writer);
                    self.hand_over();
                    return result;
                }
                self.run_batch(writer);
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

    /// After the writer lock is released: wakes the caller of the oldest queued request
    /// to lead the next batch.
    fn hand_over(&self) {
        if let Some(next) = self.queue().pending.first() {
            let _ = next.reply.try_send(Turn::Lead);
        }
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.shared.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn in_flight(&self) -> MutexGuard<'_, InFlight> {
        self.shared
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn state_mut(&self) -> RwLockWriteGuard<'_, State> {
        self.shared.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drains the queue (up to the batch limit) and processes it as one group commit:
    /// decided under the writer lock, which is released (and the next leader woken) as
    /// soon as the append lock is held, then appended and answered.
    fn run_batch(&self, mut writer: MutexGuard<'_, Writer>) {
        let batch = self.queue().take(self.batch_limit());
        if batch.is_empty() {
            return;
        }
        if let Some(reason) = self.shared.halted.get() {
            drop(writer);
            self.hand_over();
            for pending in batch {
                let _ = pending.reply.send(Turn::Answer(Err(halted(reason))));
            }
            return;
        }
        let mut decided = Decided {
            batch: Vec::new(),
            answers: Vec::new(),
            commits: Vec::new(),
            expected: self.state().book.head().position,
            checkpoint: None,
        };
        self.decide_into(&mut writer, &mut decided, batch);
        let append_turn = self.await_append_turn(&mut writer, &mut decided);
        let head = self.state().book.head().position;
        if self.checkpoint_due(&mut writer, head) {
            decided.checkpoint = Some(self.state().projections.clone());
        }
        drop(writer);
        self.hand_over();
        self.append_and_answer(decided, head, append_turn);
    }

    fn batch_limit(&self) -> usize {
        self.shared.options.max_batch.max(1)
    }

    /// The first stage: each request decided and, when accepted, folded.
    fn decide_into(&self, writer: &mut Writer, decided: &mut Decided, batch: Vec<Pending>) {
        for pending in batch {
            let answer = self.decide_and_fold(writer, &pending.request, &mut decided.commits);
            decided.answers.push(answer);
            decided.batch.push(pending);
        }
    }

    /// Waits for the append lock, held while the batch before this one is flushed.
    /// Requests that arrive meanwhile are decided into this batch (up to the batch
    /// limit), so that the flush that follows serves every command that queued during
    /// the one before it, as when the stages did not overlap.
    fn await_append_turn(&self, writer: &mut Writer, decided: &mut Decided) -> MutexGuard<'_, ()> {
        loop {
            let room = self.batch_limit().saturating_sub(decided.batch.len());
            if room == 0 || self.shared.halted.get().is_some() {
                return self
                    .shared
                    .append_turn
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
            }
            let more = {
                let mut queue = self.queue();
                // Checked under the queue lock: the batch before notifies under it once
                // it lets the append lock go, so no wake-up is missed.
                if let Some(turn) = try_take(&self.shared.append_turn) {
                    return turn;
                }
                if queue.pending.is_empty() {
                    queue.leader_waiting = true;
                    let (mut queue, _) = self
                        .shared
                        .arrived
                        .wait_timeout(queue, WAIT_LIMIT)
                        .unwrap_or_else(PoisonError::into_inner);
                    queue.leader_waiting = false;
                    continue;
                }
                queue.take(room)
            };
            self.decide_into(writer, decided, more);
        }
    }

    /// Whether the projections are to be stored at `head`: every `checkpoint_every`
    /// events, but never more often than each quarter of the log (they are stored whole,
    /// so a fixed interval would make the bytes written grow with the square of the log's
    /// length), and only when no earlier save still runs. Reserves the saver if so.
    fn checkpoint_due(&self, writer: &mut Writer, head: u64) -> bool {
        let interval = self.shared.options.checkpoint_every.max(writer.saved_at / 4);
        if head - writer.saved_at < interval {
            return false;
        }
        let reserved = self.saver().as_ref().is_some_and(|saver| saver.reserve());
        if reserved {
            writer.saved_at = head;
        }
        reserved
    }

    /// The second stage, in decision order (the append lock is held): the batch appended
    /// and flushed, then every caller answered.
    fn append_and_answer(&self, decided: Decided, head: u64, append_turn: MutexGuard<'_, ()>) {
        let Decided {
            batch,
            answers,
            commits,
            expected,
            checkpoint,
        } = decided;
        let written = match self.shared.halted.get() {
            // An earlier batch failed after this one was decided on top of it.
            Some(reason) => Err(halted(reason)),
            None if commits.is_empty() => Ok(()),
            None => self
                .shared
                .store
                .append_batch(expected, &commits)
                .map(|_| ())
                .map_err(|e| {
                    tracing::error!(error = %e, commands = commits.len(), "append failed; engine halted");
                    let _ = self.shared.halted.set(e.to_string());
                    Error::Store(e)
                }),
        };
        {
            let mut in_flight = self.in_flight();
            for commit in &commits {
                in_flight.remove(&commit.command_id);
            }
        }
        if let (Some(copy), Some(saver)) = (checkpoint, self.saver().as_ref()) {
            match written {
                Ok(()) => saver.hand(copy),
                Err(_) => saver.release(),
            }
        }
        if written.is_ok() && !commits.is_empty() {
            self.shared.committed.publish(head);
        }
        drop(append_turn);
        if self.queue().leader_waiting {
            self.shared.arrived.notify_one();
        }
        let failed = written.is_err();
        let mut failure = written.err();
        if matches!(failure, Some(Error::Store(_))) {
            // Only the batch whose append failed folds again, once every batch decided
            // on top of it has been refused (each took the append lock before it let the
            // writer lock go).
            let _writer = self.shared.writer.lock().unwrap_or_else(PoisonError::into_inner);
            self.refold_from_store();
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
                Answer::Decided(_) | Answer::RepeatsInFlight(_) if failed => {
                    Err(failure.take().unwrap_or_else(|| self.halted_error()))
                }
                Answer::Decided(commit) => Ok(Outcome {
                    events: std::mem::take(&mut decided[commit]),
                    repeated: false,
                }),
                // Every batch before this one, and this one, is appended: the command it
                // repeats is durable now.
                Answer::RepeatsInFlight(command_id) => self.repeat_durable(command_id),
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
        let in_flight = self.in_flight().get(&command_id).copied();
        if let Some(recorded) = in_flight {
            return match fingerprint() {
                Ok(fingerprint) if fingerprint == recorded => Answer::RepeatsInFlight(command_id),
                Ok(_) => Answer::Failed(o2c_core::DomainError::CommandIdReused { command_id }.into()),
                Err(e) => Answer::Failed(e),
            };
        }
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
        let commit = match self.state().book.prepare(&writer.policy, request, Utc::now()) {
            Ok(commit) => commit,
            Err(e) => return Answer::Failed(e.into()),
        };
        let mut state = self.state_mut();
        for sealed in &commit.events {
            state.apply(&sealed.event);
        }
        drop(state);
        self.in_flight().insert(command_id, commit.fingerprint);
        commits.push(commit);
        Answer::Decided(commits.len() - 1)
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

    fn repeat_stored(&self, record: &CommandRecord, fingerprint: Hash) -> Answer {
        if let Err(e) = record.check_repeat(fingerprint) {
            return Answer::Failed(e.into());
        }
        match self.shared.store.command_events(record) {
            Ok(events) => Answer::Repeated(events),
            Err(e) => Answer::Failed(e.into()),
        }
    }

    /// The answer to a repeat of a command that was in flight, once it is durable.
    fn repeat_durable(&self, command_id: Uuid) -> Result<Outcome, Error> {
        let record = self
            .shared
            .store
            .find_command(command_id)?
            .ok_or_else(|| self.halted_error())?;
        Ok(Outcome {
            events: self.shared.store.command_events(&record)?,
            repeated: true,
        })
    }

    fn halted_error(&self) -> Error {
        self.shared
            .halted
            .get()
            .map_or_else(lost, |reason| halted(reason))
    }
}

/// The lock if it is free now (a poisoned lock still guards whole data: nothing panics
/// while holding the writer's locks).
fn try_take<T>(lock: &Mutex<T>) -> Option<MutexGuard<'_, T>> {
    match lock.try_lock() {
        Ok(guard) => Some(guard),
        Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
        Err(TryLockError::WouldBlock) => None,
    }
}

fn halted(reason: &str) -> Error {
    Error::Halted {
        reason: reason.to_owned(),
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
