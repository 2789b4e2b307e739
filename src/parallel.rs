//! Work spread over the machine's cores, the one way every stage does it (loading, chains,
//! rules).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The threads work is spread over: one per core.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Free `value` on a thread of its own: tables of thousands of entries take milliseconds to
/// free, which the run need not wait for.
pub fn drop_later<T: Send + 'static>(value: T) {
    // When no thread can be made, it is freed here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// Run `f` over `items` on every core; results keep the input order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = cores().min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(i) else { break };
        let r = f(item);
        results
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((i, r));
    };
    // This thread works too, rather than waiting for threads of its own: a thread started
    // while another core is busy may be put on this one's core, and when this thread then
    // slept, a core could stay idle for milliseconds before the scheduler moved one over.
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// `f` over `items` on every core, each result handed to `sink` on this thread in the items'
/// order as soon as it and those before it are done; at most `window` results wait at a time
/// (so output can be written while later items are still being worked on, in bounded memory).
/// The first error of `sink` stops the work and is returned.
pub fn par_for_each_ordered<T: Sync, R: Send, E>(
    items: &[T],
    window: usize,
    f: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let threads = cores().min(items.len());
    if threads <= 1 {
        return items.iter().try_for_each(|item| sink(f(item)));
    }
    let window = window.max(threads);
    let state = Mutex::new(Ordered {
        next: 0,
        written: 0,
        ready: std::collections::BTreeMap::new(),
        stopped: false,
    });
    let changed = std::sync::Condvar::new();
    let lock = || state.lock().unwrap_or_else(|e| e.into_inner());
    let stop_on_unwind = || StopOnUnwind {
        state: &state,
        changed: &changed,
    };
    std::thread::scope(|s| {
        // One thread per core but this one, which hands results to the sink and works on the
        // next item whenever the one it waits for is not done (see `par_map`).
        for _ in 1..threads {
            s.spawn(|| {
                let _stop = stop_on_unwind();
                loop {
                    let mut st = lock();
                    let i = loop {
                        if st.stopped || st.next >= items.len() {
                            return;
                        }
                        if let Some(i) = st.start(items.len(), window) {
                            break i;
                        }
                        st = changed.wait(st).unwrap_or_else(|e| e.into_inner());
                    };
                    drop(st);
                    let r = f(&items[i]);
                    lock().ready.insert(i, r);
                    changed.notify_all();
                }
            });
        }
        let _stop = stop_on_unwind();
        let mut outcome = Ok(());
        for i in 0..items.len() {
            let mut st = lock();
            let r = loop {
                if let Some(r) = st.ready.remove(&i) {
                    break Some(r);
                }
                // A helper panicked: nothing more will come, and the scope passes the panic on.
                if st.stopped {
                    break None;
                }
                if let Some(j) = st.start(items.len(), window) {
                    drop(st);
                    let r = f(&items[j]);
                    st = lock();
                    st.ready.insert(j, r);
                    continue;
                }
                st = changed.wait(st).unwrap_or_else(|e| e.into_inner());
            };
            let Some(r) = r else { break };
            st.written = i + 1;
            drop(st);
            changed.notify_all();
            if let Err(e) = sink(r) {
                outcome = Err(e);
                break;
            }
        }
        lock().stopped = true;
        changed.notify_all();
        outcome
    })
}

/// Stops `par_for_each_ordered` when the thread holding it unwinds (a panic in `f` or in the
/// sink), so that no thread waits for a result that will never come and the panic reaches
/// the caller instead of hanging the run.
struct StopOnUnwind<'s, R> {
    state: &'s Mutex<Ordered<R>>,
    changed: &'s std::sync::Condvar,
}

impl<R> Drop for StopOnUnwind<'_, R> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.state.lock().unwrap_or_else(|e| e.into_inner()).stopped = true;
            self.changed.notify_all();
        }
    }
}

/// `par_for_each_ordered`'s shared state.
struct Ordered<R> {
    /// The next item to start.
    next: usize,
    /// Items handed to the sink so far.
    written: usize,
    ready: std::collections::BTreeMap<usize, R>,
    stopped: bool,
}

impl<R> Ordered<R> {
    /// The next of `len` items, taken to work on, if it is within `window` of the last one
    /// written.
    fn start(&mut self, len: usize, window: usize) -> Option<usize> {
        let i = self.next;
        (i < len && i < self.written + window).then(|| {
            self.next += 1;
            i
        })
    }
}

/// Run `produce` on this thread while the other cores `work` on the items it hands over (through
/// the callback it is given); once `produce` returns, this thread joins the work. What `produce`
/// returns, and each item with its result, in the order the items were handed over.
///
/// For a stage that can start on part of its input while the input is still being gathered
/// (topologies parsed while the folder is walked): the walk keeps one core busy, so the other
/// would otherwise wait.
pub fn overlapped<T: Send, R: Send, P>(
    produce: impl FnOnce(&mut dyn FnMut(T)) -> P,
    work: impl Fn(&T) -> R + Sync,
) -> (P, Vec<(T, R)>) {
    let helpers = cores() - 1;
    if helpers == 0 {
        let mut items = Vec::new();
        let produced = produce(&mut |item| items.push(item));
        let done = items.into_iter().map(|t| {
            let r = work(&t);
            (t, r)
        });
        return (produced, done.collect());
    }
    let queue = Queue {
        state: Mutex::new(QueueState::default()),
        ready: std::sync::Condvar::new(),
    };
    let done: Mutex<Vec<(usize, T, R)>> = Mutex::new(Vec::new());
    let produced = std::thread::scope(|s| {
        for _ in 0..helpers {
            s.spawn(|| queue.drain(&work, &done, true));
        }
        let produced = produce(&mut |item| queue.push(item));
        queue.close();
        queue.drain(&work, &done, false);
        produced
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _, _)| *i);
    (produced, done.into_iter().map(|(_, t, r)| (t, r)).collect())
}

/// `overlapped`'s hand-over: items waiting, numbered as they came.
struct Queue<T> {
    state: Mutex<QueueState<T>>,
    ready: std::sync::Condvar,
}

struct QueueState<T> {
    waiting: std::collections::VecDeque<(usize, T)>,
    handed: usize,
    closed: bool,
}

impl<T> Default for QueueState<T> {
    fn default() -> Self {
        QueueState {
            waiting: std::collections::VecDeque::new(),
            handed: 0,
            closed: false,
        }
    }
}

impl<T> Queue<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, item: T) {
        let mut state = self.lock();
        let i = state.handed;
        state.handed += 1;
        state.waiting.push_back((i, item));
        drop(state);
        self.ready.notify_one();
    }

    fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    /// Work items until none is left; a helper (`wait`) also waits for more until closed.
    fn drain<R>(&self, work: impl Fn(&T) -> R, done: &Mutex<Vec<(usize, T, R)>>, wait: bool) {
        loop {
            let mut state = self.lock();
            let (i, item) = loop {
                if let Some(next) = state.waiting.pop_front() {
                    break next;
                }
                if state.closed || !wait {
                    return;
                }
                state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
            };
            drop(state);
            let r = work(&item);
            done.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((i, item, r));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapped_work_sees_every_item_once_in_the_order_handed_over() {
        let (produced, done) = overlapped(
            |hand| {
                for i in 0..500u32 {
                    if i % 3 == 0 {
                        hand(i);
                    }
                }
                "walked"
            },
            |&i| i * 2,
        );
        assert_eq!(produced, "walked");
        let expected: Vec<(u32, u32)> = (0..500)
            .filter(|i| i % 3 == 0)
            .map(|i| (i, i * 2))
            .collect();
        assert_eq!(done, expected);
    }

    #[test]
    fn ordered_results_reach_the_sink_in_order_and_an_error_stops_the_work() {
        let items: Vec<u64> = (0..1000).collect();
        let mut seen = Vec::new();
        // Uneven work, so that later items often finish first.
        let slow = |&i: &u64| (0..(i % 7) * 2000).fold(i, |a, b| a.wrapping_add(b % 3)) - i;
        let r: Result<(), ()> = par_for_each_ordered(
            &items,
            4,
            |&i| (i, slow(&i)),
            |(i, _)| {
                seen.push(i);
                Ok(())
            },
        );
        assert_eq!((r, seen), (Ok(()), items.clone()));
        let started = AtomicUsize::new(0);
        let r = par_for_each_ordered(
            &items,
            4,
            |&i| {
                started.fetch_add(1, Ordering::Relaxed);
                i
            },
            |i| if i == 10 { Err(i) } else { Ok(()) },
        );
        assert_eq!(r, Err(10));
        // At most `window` (and one per core) past the failing one were started.
        assert!(started.into_inner() <= 11 + 4 + 2);
    }

    #[test]
    fn a_panic_in_the_ordered_work_reaches_the_caller_instead_of_hanging() {
        // On the calling thread, on a helper, or in the sink: each once hung the run.
        for case in ["caller", "helper", "sink"] {
            let (done, finished) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let items: Vec<u32> = (0..400).collect();
                let caller = std::thread::current().id();
                let on_caller = move || std::thread::current().id() == caller;
                let outcome = std::panic::catch_unwind(|| {
                    par_for_each_ordered(
                        &items,
                        4,
                        |&i| {
                            // Slow enough that both threads take items.
                            std::thread::sleep(std::time::Duration::from_micros(200));
                            let here = if on_caller() { "caller" } else { "helper" };
                            assert!(!(i >= 50 && here == case), "work failed");
                            i
                        },
                        |i| {
                            assert!(!(i == 60 && case == "sink"), "sink failed");
                            Ok::<(), ()>(())
                        },
                    )
                });
                let _ = done.send(outcome.is_err());
            });
            let panicked = finished
                .recv_timeout(std::time::Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("a panic on the {case} hung par_for_each_ordered"));
            // With one core there is no helper, and the work never fails there.
            assert!(panicked || (case == "helper" && cores() == 1), "{case}");
        }
    }

    #[test]
    fn overlapped_with_nothing_handed_over_returns_at_once() {
        let (produced, done) = overlapped(|_: &mut dyn FnMut(u8)| 7, |&i| i);
        assert_eq!((produced, done), (7, Vec::new()));
    }
}
