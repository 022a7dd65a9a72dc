//! The background sync of a [`Durability::Buffered`](crate::Durability) store: every
//! interval it makes the event file durable and then records the head it reached, and it
//! does so once more when the store is dropped.

use std::fs::File;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use o2c_core::store::StoreError;

use crate::backend_io;
use crate::index::Index;
use crate::keys;

/// A running background sync; dropping it syncs a last time and waits for the thread.
pub(crate) struct Flusher {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Flusher {
    pub(crate) fn start(
        file: Arc<File>,
        index: Arc<RwLock<Index>>,
        meta: sled::Tree,
        every: Duration,
    ) -> Result<Self, StoreError> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("o2c-event-file-sync".into())
            .spawn(move || {
                loop {
                    let last = !matches!(stopped.recv_timeout(every), Err(RecvTimeoutError::Timeout));
                    if let Err(error) = sync_and_record_head(&file, &index, &meta) {
                        tracing::error!(%error, "background sync of the event file failed");
                    }
                    if last {
                        return;
                    }
                }
            });
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread.map_err(backend_io)?),
        })
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Makes the event file durable, then records the head it reached. The head is read
/// first: everything up to it was written before it was indexed, so the sync covers it.
pub(crate) fn sync_and_record_head(
    file: &File,
    index: &RwLock<Index>,
    meta: &sled::Tree,
) -> Result<(), StoreError> {
    let head = index.read().unwrap_or_else(PoisonError::into_inner).head();
    file.sync_data().map_err(backend_io)?;
    keys::store_head(meta, head)
}
