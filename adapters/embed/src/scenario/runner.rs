//! Running a scenario: a fresh in-memory engine, the company set up from the header, then
//! each step in order. A step that does not go as expected is reported with its
//! differences and the run goes on with the next step.

use chrono::{DateTime, Utc};
use o2c_core::{Actor, Command, CommandContext, DomainError, Request};

use super::Scenario;
use super::compare::{self, Difference};
use super::format::{Expectation, StepKind};
use super::labels::Labels;
use super::query;
use super::report::{ScenarioReport, StepOutcome, StepReport};
use crate::{Engine, Error, Outcome};

/// The `DomainError` variant's name, read from its `Debug` form (`NoStockAvailable { … }`).
pub(crate) fn error_kind(error: &DomainError) -> String {
    format!("{error:?}")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Executes one command and judges its outcome against the expectation.
fn command_outcome(
    engine: &Engine,
    labels: &Labels,
    request: Request,
    expect: &Expectation,
) -> Vec<Difference> {
    let wanted = match expect {
        Expectation::Ok => "ok".to_string(),
        Expectation::Events(names) => format!("ok with events {}", names.join(", ")),
        Expectation::Error(kind) => format!("error {kind}"),
    };
    match engine.execute(request) {
        Ok(Outcome { events, .. }) => {
            let names: Vec<&str> = events.iter().map(|e| e.payload.name()).collect();
            match expect {
                Expectation::Ok => Vec::new(),
                Expectation::Events(expected) if *expected == names => Vec::new(),
                Expectation::Events(expected) => {
                    vec![Difference::new("events", expected.join(", "), names.join(", "))]
                }
                Expectation::Error(_) => {
                    vec![Difference::new(
                        "outcome",
                        wanted,
                        format!("ok ({})", names.join(", ")),
                    )]
                }
            }
        }
        Err(Error::Rejected(error)) => {
            let kind = error_kind(&error);
            match expect {
                Expectation::Error(expected) if *expected == kind => Vec::new(),
                _ => {
                    let message = labels.relabel_text(&error.to_string());
                    vec![Difference::new(
                        "outcome",
                        wanted,
                        format!("error {kind} ({message})"),
                    )]
                }
            }
        }
        Err(other) => vec![Difference::new(
            "outcome",
            wanted,
            format!("engine error: {other}"),
        )],
    }
}

fn request(command_id: o2c_core::uuid::Uuid, actor: &Actor, at: DateTime<Utc>, command: Command) -> Request {
    Request::new(CommandContext::new(command_id, actor.clone(), at), command)
}

fn outcome(differences: Vec<Difference>) -> StepOutcome {
    if differences.is_empty() {
        StepOutcome::Passed
    } else {
        StepOutcome::Failed(differences)
    }
}

/// Runs a scenario on a fresh in-memory engine.
pub(crate) fn run(scenario: &Scenario) -> ScenarioReport {
    let engine = Engine::in_memory();
    let labels = &scenario.labels;
    let mut now = scenario.at;
    let mut steps = Vec::with_capacity(scenario.steps.len() + 1);
    let set_up = request(
        scenario.setup_command_id,
        &scenario.setup_actor,
        now,
        Command::SetUpCompany(scenario.company.clone()),
    );
    let title = match scenario.company_title.as_str() {
        "" => "SetUpCompany".to_string(),
        subject => format!("SetUpCompany {subject}"),
    };
    steps.push(StepReport {
        number: 0,
        title,
        outcome: outcome(command_outcome(&engine, labels, set_up, &Expectation::Ok)),
    });
    for step in &scenario.steps {
        if let Some(at) = step.at {
            now = at;
        }
        let differences = match &step.kind {
            StepKind::Command(command) => {
                let request = request(command.command_id, &command.actor, now, command.command.clone());
                command_outcome(&engine, labels, request, &command.expect)
            }
            StepKind::Query { query, expect } => match query::answer(query, &engine, labels, now) {
                Ok(actual) => compare::compare(expect, &actual),
                Err(missing) => vec![Difference::new("$", compare::show(expect), missing)],
            },
        };
        steps.push(StepReport {
            number: step.number,
            title: step.title.clone(),
            outcome: outcome(differences),
        });
    }
    ScenarioReport {
        file: scenario.file.clone(),
        name: scenario.name.clone(),
        steps,
    }
}
