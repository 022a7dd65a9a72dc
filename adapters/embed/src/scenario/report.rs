//! What running a scenario reports: per step, passed or the differences between what the
//! scenario expected and what the engine did.

use std::fmt;

use super::compare::Difference;

/// How one step went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// As expected.
    Passed,
    /// Not as expected: every difference found.
    Failed(Vec<Difference>),
}

/// One step of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// The step's number in the file, from 1 (0 is the company set-up from the header).
    pub number: usize,
    /// What the step did: `ConfirmOrder SO-1`, `query order SO-1`.
    pub title: String,
    /// How it went.
    pub outcome: StepOutcome,
}

impl StepReport {
    /// True when the step went as expected.
    pub fn passed(&self) -> bool {
        self.outcome == StepOutcome::Passed
    }
}

impl fmt::Display for StepReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            StepOutcome::Passed => write!(f, "step {} {}: ok", self.number, self.title),
            StepOutcome::Failed(differences) => {
                write!(f, "step {} {}: FAILED", self.number, self.title)?;
                for difference in differences {
                    write!(f, "\n    {difference}")?;
                }
                Ok(())
            }
        }
    }
}

/// The run of one scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioReport {
    /// The file (as given to [`super::parse`] or [`super::run_file`]).
    pub file: String,
    /// The scenario's name.
    pub name: String,
    /// Every step in order, the company set-up (step 0) first.
    pub steps: Vec<StepReport>,
}

impl ScenarioReport {
    /// True when every step went as expected.
    pub fn passed(&self) -> bool {
        self.steps.iter().all(StepReport::passed)
    }

    /// The steps that did not go as expected.
    pub fn failures(&self) -> impl Iterator<Item = &StepReport> {
        self.steps.iter().filter(|s| !s.passed())
    }
}

impl fmt::Display for ScenarioReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "scenario {}: {}", self.file, self.name)?;
        for step in &self.steps {
            writeln!(f, "{step}")?;
        }
        let failed = self.failures().count();
        if failed == 0 {
            write!(f, "passed: {} steps", self.steps.len())
        } else {
            write!(f, "FAILED: {failed} of {} steps", self.steps.len())
        }
    }
}
