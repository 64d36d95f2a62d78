//! Long work on a named thread, with progress the window can show and a way to cancel.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread;

/// Progress shared between a worker and the window.
#[derive(Debug, Default)]
pub struct Progress {
    /// Fraction done × 10 000.
    done: AtomicU32,
    cancel: AtomicBool,
}

impl Progress {
    pub fn set(&self, fraction: f32) {
        let scaled = (fraction.clamp(0.0, 1.0) * 10_000.0) as u32;
        self.done.store(scaled, Ordering::Relaxed);
    }

    pub fn fraction(&self) -> f32 {
        self.done.load(Ordering::Relaxed) as f32 / 10_000.0
    }

    pub fn request_cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// A running background job whose result is a `T`.
pub struct Job<T> {
    pub title: String,
    pub progress: Arc<Progress>,
    receiver: Receiver<T>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named after the job. `wake` is called when it finishes (the
    /// window passes a repaint request).
    pub fn spawn(
        title: impl Into<String>,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let title = title.into();
        let progress = Arc::new(Progress::default());
        let (sender, receiver) = mpsc::sync_channel(1);
        let worker_progress = Arc::clone(&progress);
        thread::Builder::new()
            .name(format!("job: {title}"))
            .spawn(move || {
                let result = work(&worker_progress);
                // The window may have closed; then nobody wants the result.
                let _ = sender.send(result);
                wake();
            })?;
        Ok(Self {
            title,
            progress,
            receiver,
        })
    }

    /// The result once the job is done; `None` while it runs.
    pub fn poll(&self) -> Option<Result<T, String>> {
        match self.receiver.try_recv() {
            Ok(value) => Some(Ok(value)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(format!(
                "'{}' stopped unexpectedly; nothing was changed",
                self.title
            ))),
        }
    }

    /// Waits for the result (command line and tests).
    pub fn wait(self) -> Result<T, String> {
        self.receiver
            .recv()
            .map_err(|_| format!("'{}' stopped unexpectedly", self.title))
    }
}
