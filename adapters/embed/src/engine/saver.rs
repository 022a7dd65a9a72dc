//! Storing the projections in the background. At a checkpoint the writer takes a copy of
//! the projections at the end of a batch's decisions, hands it to one thread once that
//! batch is durable (a stored checkpoint is never ahead of the log), and goes on deciding
//! commands while that thread serialises and writes them: on a long log the projections run to
//! hundreds of megabytes of JSON, and writing them under the writer lock stalled every
//! command for as long (the longest command latencies of the workload).
//!
//! One save runs at a time, in the order handed over; a checkpoint that comes while the
//! previous save still runs is skipped (the next one covers it). Closing the engine waits
//! for the running save, then stores the final projections itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

use o2c_projections::{ProjectionError, ProjectionStore, Projections};

/// The background saver of one engine's projections.
pub(super) struct Saver {
    store: ProjectionStore,
    /// Hands copies to the thread; `None` once stopped (or if the thread never started).
    handoff: Option<SyncSender<Projections>>,
    thread: Option<JoinHandle<()>>,
    /// True while the thread holds a copy it has not finished storing.
    busy: Arc<AtomicBool>,
}

impl Saver {
    /// A saver storing into `store`. If its thread cannot be started, checkpoints are
    /// stored by the writer itself.
    pub(super) fn start(store: ProjectionStore) -> Self {
        let (handoff, copies) = sync_channel::<Projections>(1);
        let busy = Arc::new(AtomicBool::new(false));
        let (thread_store, thread_busy) = (store.clone(), Arc::clone(&busy));
        let thread = std::thread::Builder::new()
            .name("o2c-projections-save".into())
            .spawn(move || {
                for projections in copies {
                    if let Err(error) = projections.save(&thread_store) {
                        // The projections are rebuilt from an older checkpoint on the next open.
                        tracing::warn!(%error, "storing the projections failed");
                    }
                    thread_busy.store(false, Ordering::Release);
                }
            });
        match thread {
            Ok(thread) => Self {
                store,
                handoff: Some(handoff),
                thread: Some(thread),
                busy,
            },
            Err(error) => {
                tracing::warn!(%error, "no background thread for the projections; the writer stores them");
                Self {
                    store,
                    handoff: None,
                    thread: None,
                    busy,
                }
            }
        }
    }

    /// Reserves the saver for a checkpoint: false while an earlier save still runs.
    /// A reservation ends with [`Saver::hand`] or [`Saver::release`].
    pub(super) fn reserve(&self) -> bool {
        self.handoff.is_none() || !self.busy.swap(true, Ordering::AcqRel)
    }

    /// Hands a reserved checkpoint's copy to the background thread (without a thread,
    /// stores it here).
    pub(super) fn hand(&self, projections: Projections) {
        let Some(handoff) = &self.handoff else {
            if let Err(error) = projections.save(&self.store) {
                tracing::warn!(%error, "storing the projections failed");
            }
            return;
        };
        if handoff.try_send(projections).is_err() {
            self.release();
        }
    }

    /// Ends a reservation without a save (its batch was not written).
    pub(super) fn release(&self) {
        self.busy.store(false, Ordering::Release);
    }

    /// Waits for the running save, then stores `projections` on this thread.
    pub(super) fn save_now(&mut self, projections: &Projections) -> Result<(), ProjectionError> {
        self.stop();
        projections.save(&self.store)
    }

    fn stop(&mut self) {
        drop(self.handoff.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        self.stop();
    }
}
