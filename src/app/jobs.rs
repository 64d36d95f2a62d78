//! Long work on a named thread, with progress the window can show and a way to cancel.
//!
//! Each thread keeps count of the jobs it started until their workers finish, so that whoever
//! drives the window (a test) can wait for them without sleeping: [`wait_for_jobs_started_here`].

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

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
        let running = RunningHere::start(&title);
        thread::Builder::new()
            .name(format!("job: {title}"))
            .spawn(move || {
                let result = work(&worker_progress);
                // The window may have closed; then nobody wants the result.
                let _ = sender.send(result);
                wake();
                drop(running);
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

/// The titles of the jobs a thread started that are still running.
#[derive(Debug, Default)]
struct Started {
    running: Mutex<Vec<String>>,
    finished: Condvar,
}

thread_local! {
    static STARTED_HERE: Arc<Started> = Arc::default();
}

/// Counts a piece of background work as running for the thread that started it, until dropped
/// (the worker drops it after sending its result). [`Job::spawn`] makes one for every job;
/// other worker threads the window starts make their own.
#[derive(Debug)]
pub struct RunningHere {
    started: Arc<Started>,
    title: String,
}

impl RunningHere {
    /// Counts `title` as running for the current thread.
    pub fn start(title: &str) -> Self {
        let started = STARTED_HERE.with(Arc::clone);
        started
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(title.to_owned());
        Self {
            started,
            title: title.to_owned(),
        }
    }
}

impl Drop for RunningHere {
    fn drop(&mut self) {
        let mut running = self
            .started
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(index) = running.iter().position(|title| *title == self.title) {
            running.remove(index);
        }
        self.started.finished.notify_all();
    }
}

/// The titles of the jobs started on this thread whose workers have not finished.
pub fn jobs_running_here() -> Vec<String> {
    STARTED_HERE.with(|started| {
        started
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    })
}

/// Blocks until every job started on this thread has sent its result (the window applies it on
/// its next frame). After `timeout`: the titles of the jobs still running.
pub fn wait_for_jobs_started_here(timeout: Duration) -> Result<(), Vec<String>> {
    let started = STARTED_HERE.with(Arc::clone);
    let deadline = Instant::now() + timeout;
    let mut running = started
        .running
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    while !running.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(running.clone());
        }
        running = started
            .finished
            .wait_timeout(running, left)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gated(title: &str) -> (mpsc::Sender<()>, Job<u32>) {
        let (go, gate) = mpsc::channel::<()>();
        let job = Job::spawn(
            title,
            move |_| {
                let _ = gate.recv();
                7
            },
            || {},
        )
        .expect("spawn");
        (go, job)
    }

    #[test]
    fn waiting_returns_once_every_job_of_this_thread_sent_its_result() {
        let (go, job) = gated("Slow");
        assert_eq!(jobs_running_here(), ["Slow"]);
        assert_eq!(
            wait_for_jobs_started_here(Duration::from_millis(20)),
            Err(vec!["Slow".to_owned()])
        );
        assert_eq!(job.poll(), None);
        go.send(()).expect("go");
        assert_eq!(wait_for_jobs_started_here(Duration::from_mins(1)), Ok(()));
        assert_eq!(
            job.poll(),
            Some(Ok(7)),
            "the result is there once the wait ends"
        );
        assert!(jobs_running_here().is_empty());
    }

    #[test]
    fn jobs_another_thread_started_are_not_waited_for() {
        let (go, job) = thread::spawn(|| gated("Elsewhere")).join().expect("thread");
        assert_eq!(wait_for_jobs_started_here(Duration::ZERO), Ok(()));
        go.send(()).expect("go");
        assert_eq!(job.wait(), Ok(7));
    }

    #[test]
    fn a_job_that_panics_counts_as_finished() {
        let job =
            Job::spawn("Broken", |_| -> u32 { panic!("broken on purpose") }, || {}).expect("spawn");
        assert_eq!(wait_for_jobs_started_here(Duration::from_mins(1)), Ok(()));
        assert_eq!(
            job.poll(),
            Some(Err(
                "'Broken' stopped unexpectedly; nothing was changed".to_owned()
            ))
        );
    }
}
