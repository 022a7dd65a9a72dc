//! The embedding API under concurrency and crashes: subscriptions across the switch from
//! catch-up to live delivery while many threads write, group commit with many callers on
//! a durable store (every command written once, acknowledged only when durable, the same
//! command id from two threads executed once), the pipeline of group commit (a batch
//! decided while the one before it is still being flushed, a repeat of a command that is
//! not yet durable, a failed append under a batch decided on top of it), and stored
//! projections whose state and checkpoint survive a SIGKILL together.

// A test crate: unwrapping is how a step says "this must succeed".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use o2c::chrono::{Duration as Days, TimeZone, Utc};
use o2c::order::{ConfirmOrder, CreateQuotation, RequestedLine};
use o2c::projections::{Backlog, CreditHolds, PROJECTIONS_DIR, ProjectionStore, Projections};
use o2c::stock::ReceiveStock;
use o2c::store::{CommandRecord, EventIter};
use o2c::uuid::Uuid;
use o2c::{
    CommandContext, Commit, Engine, EngineOptions, Error, EventStore, Head, MemoryStore, OrderId, Outcome,
    RecordedEvent, Request, SledStore, StoreError, StreamId,
};
use support::child::{child_dir, run_child_until_killed};
use support::{ALL_ROLES, World, dec, person};

/// A receipt of one gadget, as a request with its own command id, from any thread.
fn receipt(w: &World, command: u128) -> Request {
    let ctx = CommandContext::new(
        Uuid::from_u128(0xbeef_0000_0000_0000_0000_0000_0000_0000 | command),
        person("tester", &ALL_ROLES),
        Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap(),
    );
    Request::new(
        ctx,
        ReceiveStock {
            product_id: w.gadget,
            warehouse_id: w.warehouse,
            quantity: dec("1"),
            reference: format!("PO-{command}"),
            location_id: None,
            lots: vec![],
        },
    )
}

/// `threads` threads each executing `per_thread` receipts at once; returns every
/// outcome's first event.
fn write_concurrently(w: &World, threads: u128, per_thread: u128) -> Vec<RecordedEvent> {
    let start = Arc::new(Barrier::new(threads as usize));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let requests: Vec<Request> = (0..per_thread).map(|i| receipt(w, t * 10_000 + i)).collect();
            let engine = w.h.engine.clone();
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                requests
                    .into_iter()
                    .map(|r| engine.execute(r).unwrap().events.remove(0))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
}

#[test]
fn a_subscription_delivers_catch_up_then_live_events_without_gap_or_repeat() {
    let w = World::new();
    let before = w.h.engine.head().position;
    assert!(before > 5, "the world's set-up is the catch-up part");
    let mut subscription = w.h.engine.subscribe(1);
    // The subscriber reads while four threads write 50 commands each.
    let reader = thread::spawn(move || {
        let mut seen = Vec::new();
        while seen.len() < (before + 200) as usize {
            seen.push(subscription.recv().unwrap());
        }
        (seen, subscription)
    });
    let written = write_concurrently(&w, 4, 50);
    let (seen, mut subscription) = reader.join().unwrap();
    let positions: Vec<u64> = seen.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=before + 200).collect::<Vec<_>>());
    assert_eq!(
        seen,
        w.h.engine.events(1, usize::MAX).unwrap(),
        "delivered as stored"
    );
    for event in &written {
        assert_eq!(&seen[event.position as usize - 1], event);
    }
    // Nothing more until something is committed.
    assert_eq!(subscription.try_next().unwrap(), None);
    assert_eq!(subscription.position(), before + 201);
}

#[test]
fn a_subscriber_that_never_reads_does_not_hold_writers_back() {
    let w = World::new();
    let head = w.h.engine.head().position;
    let mut idle = w.h.engine.subscribe(head + 1);
    let written = write_concurrently(&w, 2, 300);
    assert_eq!(written.len(), 600);
    assert_eq!(w.h.engine.head().position, head + 600);
    // Whenever it wakes up, everything is there, in order.
    let late: Vec<u64> = (0..600)
        .map(|_| {
            idle.next_timeout(Duration::from_secs(5))
                .unwrap()
                .unwrap()
                .position
        })
        .collect();
    assert_eq!(late, (head + 1..=head + 600).collect::<Vec<_>>());
}

#[test]
fn concurrent_callers_on_a_durable_store_get_every_command_written_once() {
    let dir = tempfile::tempdir().unwrap();
    let w = World::on(Engine::open(dir.path()).unwrap());
    let head = w.h.engine.head().position;
    let written = write_concurrently(&w, 8, 25);
    let mut positions: Vec<u64> = written.iter().map(|e| e.position).collect();
    positions.sort_unstable();
    assert_eq!(positions, (head + 1..=head + 200).collect::<Vec<_>>());
    let digest = w.h.engine.state_digest().unwrap();
    let gadget = w.gadget;
    let stock = w.h.engine.stock(gadget).unwrap();
    let engine = w.h.engine.clone();
    drop(w);
    engine.close().unwrap();

    let reopened = Engine::open(dir.path()).unwrap();
    assert_eq!(reopened.head().position, head + 200);
    assert_eq!(reopened.state_digest().unwrap(), digest);
    assert_eq!(reopened.stock(gadget), Some(stock));
    for event in &written {
        assert_eq!(&reopened.events(event.position, 1).unwrap()[0], event);
    }
}

#[test]
fn the_same_command_from_two_threads_is_executed_once() {
    let w = World::new();
    let head = w.h.engine.head().position;
    for n in 0..20u128 {
        let request = receipt(&w, n);
        let start = Arc::new(Barrier::new(2));
        let outcomes: Vec<_> = (0..2)
            .map(|_| {
                let (engine, request, start) = (w.h.engine.clone(), request.clone(), Arc::clone(&start));
                thread::spawn(move || {
                    start.wait();
                    engine.execute(request).unwrap()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        assert_eq!(outcomes.iter().filter(|o| o.repeated).count(), 1);
        assert_eq!(outcomes[0].events, outcomes[1].events);
    }
    assert_eq!(w.h.engine.head().position, head + 20);
}

fn crash_options() -> EngineOptions {
    EngineOptions {
        checkpoint_every: 9,
        ..EngineOptions::default()
    }
}

/// Acme orders `quantity` widgets from the standard warehouse and the order is confirmed
/// (on credit hold when over the limit); returns the confirmation's outcome.
fn widgets_confirmed(w: &mut World, quantity: &str) -> Outcome {
    let order_id: OrderId = w.h.id();
    let (customer_id, warehouse_id) = (w.customer, w.warehouse);
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: vec![RequestedLine::new(w.widget, dec(quantity))],
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    w.h.ok(ConfirmOrder { order_id })
}

/// The child process of `stored_projections_survive_sigkill_with_their_checkpoint`:
/// confirms orders (some over the credit limit, so on hold) on a durable sled engine that
/// stores its projections every 9 events, printing each acknowledged position.
#[test]
#[ignore = "child process of stored_projections_survive_sigkill_with_their_checkpoint"]
fn projection_crash_child_confirms_orders_until_killed() {
    let mut w = World::on(Engine::open_with(child_dir(), crash_options()).unwrap());
    for n in 1u32.. {
        let outcome = widgets_confirmed(&mut w, &(n % 7 * 150 + 1).to_string());
        w.h.now += Days::hours(7);
        println!("ack {}", outcome.events.last().unwrap().position);
    }
}

#[test]
fn stored_projections_survive_sigkill_with_their_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let mut last = 0;
    // Killed past position 150: SIGKILL, no destructors, no flush, no final save.
    run_child_until_killed(
        "projection_crash_child_confirms_orders_until_killed",
        dir.path(),
        |ack| {
            last = ack.parse().unwrap();
            last <= 150
        },
    );
    assert!(last > 150, "the child stopped before confirming enough orders");

    // What was stored: each projection's state is exactly the log's prefix up to its
    // checkpoint folded, never part of a command more or less.
    let opening = SledStore::begin_open(dir.path(), Default::default()).unwrap();
    let projection_store = ProjectionStore::open(dir.path().join(PROJECTIONS_DIR)).unwrap();
    let backlog = projection_store
        .load::<Backlog>()
        .unwrap()
        .expect("stored backlog");
    let holds = projection_store
        .load::<CreditHolds>()
        .unwrap()
        .expect("stored holds");
    let mut events = Vec::new();
    let store = opening.verify_and_replay(|e| events.push(e.clone())).unwrap();
    assert!(events.len() as u64 >= last, "acknowledged events lost");
    assert!(backlog.checkpoint > 0 && backlog.checkpoint <= events.len() as u64);
    let prefix = |checkpoint: u64| Projections::rebuild(&events[..checkpoint as usize]);
    assert_eq!(backlog.state, prefix(backlog.checkpoint).backlog.state);
    assert_eq!(holds.state, prefix(holds.checkpoint).credit_holds.state);
    assert!(
        !backlog.state.report(None).open.is_empty(),
        "the backlog has open orders in it"
    );
    drop((store, projection_store));

    // Reopening resumes from the checkpoints and equals a rebuild from position 0.
    let engine = Engine::open_with(dir.path(), crash_options()).unwrap();
    let kept = engine.projections(Projections::clone);
    assert_eq!(kept, Projections::rebuild(&events));
    assert_eq!(kept.checkpoint(), engine.head().position);
}

#[test]
fn the_engine_answers_every_report_from_its_live_projections() {
    let mut w = World::new();
    for quantity in ["3", "2000"] {
        widgets_confirmed(&mut w, quantity);
    }
    let engine = &w.h.engine;
    let rebuilt = Projections::rebuild(&engine.events(1, usize::MAX).unwrap());
    let today = w.h.now.date_naive();
    let month_ago = today - Days::days(30);
    let buckets = o2c::projections::Buckets::default();

    let backlog = engine.backlog(None);
    assert_eq!(backlog, rebuilt.backlog.state.report(None));
    assert_eq!(
        (backlog.open.len(), backlog.on_hold.len()),
        (1, 1),
        "the 2,000 widgets are held"
    );
    let holds = engine.credit_holds(Some(today));
    assert_eq!(holds, rebuilt.credit_holds.state.open(Some(today)));
    assert_eq!(holds.len(), 1);
    assert_eq!(
        engine.fill_rate(month_ago, today),
        rebuilt.fill_rate.state.report(month_ago, today)
    );
    assert_eq!(
        engine.on_time(month_ago, today),
        rebuilt.on_time.state.report(month_ago, today)
    );
    assert_eq!(
        engine.cycle_times(month_ago, today),
        rebuilt.cycle_times.state.report(month_ago, today)
    );
    assert_eq!(
        engine.aging(today, &buckets),
        rebuilt.aging.state.report(today, &buckets)
    );
    assert_eq!(
        engine.dso(month_ago, today),
        rebuilt.dso.state.report(&rebuilt.aging.state, month_ago, today)
    );
}

/// An in-memory store whose appends wait while its gate is shut, so a test can hold a
/// batch between its decision and its durability; it fails the next append when told.
#[derive(Default)]
struct Gate {
    store: MemoryStore,
    shut: Mutex<bool>,
    opened: Condvar,
    /// Appends waiting at the gate.
    held: AtomicUsize,
    /// How many commands each append that passed the gate carried.
    appended: Mutex<Vec<usize>>,
    fail_next_append: AtomicBool,
}

impl Gate {
    fn set(&self, shut: bool) {
        *self.shut.lock().unwrap() = shut;
        self.opened.notify_all();
    }
}

/// The engine's handle on a gate the test keeps too.
struct GatedStore(Arc<Gate>);

impl EventStore for GatedStore {
    fn head(&self) -> Result<Head, StoreError> {
        self.0.store.head()
    }
    fn append_batch(&self, expected: u64, commits: &[Commit]) -> Result<Head, StoreError> {
        self.0.held.fetch_add(1, Ordering::SeqCst);
        let shut = self.0.shut.lock().unwrap();
        drop(self.0.opened.wait_while(shut, |shut| *shut).unwrap());
        self.0.held.fetch_sub(1, Ordering::SeqCst);
        if self.0.fail_next_append.swap(false, Ordering::SeqCst) {
            return Err(StoreError::Backend("disk full".into()));
        }
        self.0.appended.lock().unwrap().push(commits.len());
        self.0.store.append_batch(expected, commits)
    }
    fn read_log(&self, from: u64) -> EventIter<'_> {
        self.0.store.read_log(from)
    }
    fn read_stream(&self, stream: &StreamId) -> Result<Vec<RecordedEvent>, StoreError> {
        self.0.store.read_stream(stream)
    }
    fn find_command(&self, command_id: Uuid) -> Result<Option<CommandRecord>, StoreError> {
        self.0.store.find_command(command_id)
    }
    fn flush(&self) -> Result<(), StoreError> {
        self.0.store.flush()
    }
}

fn gated_world() -> (World, Arc<Gate>) {
    let gate = Arc::new(Gate::default());
    let engine = Engine::with_store(Box::new(GatedStore(Arc::clone(&gate)))).unwrap();
    (World::on(engine), gate)
}

/// Waits (ten seconds at most) until `reached` holds; a wait, not a timing assertion.
fn wait_until(what: &str, reached: impl Fn() -> bool) {
    for _ in 0..10_000 {
        if reached() {
            return;
        }
        thread::sleep(Duration::from_millis(1));
    }
    panic!("never reached: {what}");
}

fn execute_on_thread(engine: &Engine, request: Request) -> thread::JoinHandle<Result<Outcome, Error>> {
    let engine = engine.clone();
    thread::spawn(move || engine.execute(request))
}

type Answer = thread::JoinHandle<Result<Outcome, Error>>;

/// Shuts the gate and executes receipt 1 until its append waits there.
fn hold_first_at_the_gate(w: &World, gate: &Gate) -> Answer {
    gate.set(true);
    let first = execute_on_thread(&w.h.engine, receipt(w, 1));
    wait_until("the first append at the gate", || {
        gate.held.load(Ordering::SeqCst) == 1
    });
    first
}

/// Executes receipt `n` until it is decided: the book's head reaches `head`.
fn decided_behind_the_gate(w: &World, n: u128, head: u64) -> Answer {
    let answer = execute_on_thread(&w.h.engine, receipt(w, n));
    wait_until("the command decided", || w.h.engine.head().position == head);
    answer
}

#[test]
fn the_next_batch_is_decided_while_the_one_before_is_flushed_and_answered_after_it() {
    let (w, gate) = gated_world();
    let head = w.h.engine.head().position;
    let on_hand = || {
        let stock = w.h.engine.stock(w.gadget);
        stock.map(|s| s.level(w.warehouse).on_hand).unwrap_or_default()
    };
    let before = on_hand();
    let first = hold_first_at_the_gate(&w, &gate);
    // The second command is decided and folded while the first is not yet durable ...
    let second = decided_behind_the_gate(&w, 2, head + 2);
    // ... but neither caller is answered, and nothing is in the log, before the flush.
    assert!(!first.is_finished() && !second.is_finished());
    assert!(w.h.engine.events(head + 1, 10).unwrap().is_empty());
    gate.set(false);
    let first = first.join().unwrap().unwrap();
    let second = second.join().unwrap().unwrap();
    assert_eq!(first.events[0].position, head + 1);
    assert_eq!(second.events[0].position, head + 2);
    let logged = w.h.engine.events(head + 1, 10).unwrap();
    assert_eq!(logged, [first.events, second.events].concat());
    assert_eq!(on_hand(), before + dec("2"));
}

#[test]
fn commands_that_arrive_while_a_decided_batch_waits_for_its_turn_join_it() {
    let (w, gate) = gated_world();
    let head = w.h.engine.head().position;
    let appends_before = gate.appended.lock().unwrap().len();
    let first = hold_first_at_the_gate(&w, &gate);
    let second = decided_behind_the_gate(&w, 2, head + 2);
    // The second batch's leader, waiting for the first flush, takes the third in.
    let third = decided_behind_the_gate(&w, 3, head + 3);
    gate.set(false);
    let outcomes = [first, second, third].map(|t| t.join().unwrap().unwrap());
    let positions = outcomes.map(|o| o.events[0].position);
    assert_eq!(positions, [head + 1, head + 2, head + 3]);
    // One flush for the first command, one for the other two.
    assert_eq!(gate.appended.lock().unwrap()[appends_before..], [1, 2]);
}

#[test]
fn a_repeat_of_a_command_not_yet_durable_waits_for_it_and_is_not_decided_again() {
    let (w, gate) = gated_world();
    let head = w.h.engine.head().position;
    let first = hold_first_at_the_gate(&w, &gate);
    let repeat = execute_on_thread(&w.h.engine, receipt(&w, 1));
    let reused = {
        let mut other = receipt(&w, 2);
        other.context.command_id = receipt(&w, 1).context.command_id;
        execute_on_thread(&w.h.engine, other)
    };
    // Time for both to be decided against the command in flight (were they decided
    // after the gate opens instead, they would meet it in the store: still answered
    // the same way).
    thread::sleep(Duration::from_millis(100));
    assert!(!repeat.is_finished());
    gate.set(false);
    let first = first.join().unwrap().unwrap();
    let repeat = repeat.join().unwrap().unwrap();
    assert!(!first.repeated && repeat.repeated);
    assert_eq!(repeat.events, first.events);
    assert!(matches!(
        reused.join().unwrap(),
        Err(Error::Rejected(o2c::DomainError::CommandIdReused { .. }))
    ));
    assert_eq!(w.h.engine.head().position, head + 1);
    assert_eq!(w.h.engine.events(head + 1, 10).unwrap(), first.events);
    // The engine goes on: nothing was appended twice.
    let next = w.h.engine.execute(receipt(&w, 3)).unwrap();
    assert_eq!(next.events[0].position, head + 2);
}

#[test]
fn a_failed_append_refuses_the_batch_decided_on_top_of_it_and_folds_both_away() {
    let (w, gate) = gated_world();
    let head = w.h.engine.head();
    let digest = w.h.engine.state_digest().unwrap();
    gate.fail_next_append.store(true, Ordering::SeqCst);
    let first = hold_first_at_the_gate(&w, &gate);
    let second = decided_behind_the_gate(&w, 2, head.position + 2);
    gate.set(false);
    assert!(matches!(
        first.join().unwrap(),
        Err(Error::Store(StoreError::Backend(_)))
    ));
    assert!(matches!(second.join().unwrap(), Err(Error::Halted { .. })));
    assert_eq!(w.h.engine.head(), head);
    assert_eq!(w.h.engine.state_digest().unwrap(), digest);
    assert!(w.h.engine.events(head.position + 1, 10).unwrap().is_empty());
    assert!(matches!(
        w.h.engine.execute(receipt(&w, 3)),
        Err(Error::Halted { .. })
    ));
}
