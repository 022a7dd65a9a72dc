//! `o2c replay`: count, rate, head, and the projections it stores.

use o2c::projections::{PROJECTIONS_DIR, ProjectionStore, Projections};
use o2c::{EventStore, RecordedEvent, SledOptions, SledStore};

use crate::{made_by_the_example, o2c_on, succeeded};

#[test]
fn replay_prints_count_rate_and_head_and_leaves_stored_projections() {
    let made = made_by_the_example();
    let dir = made.dir.path();
    // Start without stored projections, so that only the replay can have stored them.
    std::fs::remove_dir_all(dir.join(PROJECTIONS_DIR)).unwrap();
    let out = succeeded(&o2c_on(dir, &["replay"]));
    assert!(
        out.contains(&format!("replayed {} events in ", made.head.position)),
        "{out}"
    );
    assert!(out.contains(" events/s)"), "{out}");
    assert!(
        out.contains(&format!("head hash:     {}", made.head.hash)),
        "{out}"
    );
    assert!(
        out.contains(&format!("projections stored at position {}", made.head.position)),
        "{out}"
    );

    let store = SledStore::open(dir, SledOptions::default()).unwrap();
    let projections = ProjectionStore::open(dir.join(PROJECTIONS_DIR)).unwrap();
    let stored = Projections::load(&projections, made.head.position).unwrap();
    assert_eq!(stored.checkpoint(), made.head.position);
    let events: Vec<RecordedEvent> = store.read_log(1).collect::<Result<_, _>>().unwrap();
    assert_eq!(stored, Projections::rebuild(&events));
}
