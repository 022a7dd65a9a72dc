//! Reading a scenario file: the header (name, start time, company, actors), then the steps,
//! each a command with its actor, roles, business time and expectation, or a query with the
//! values it expects. Everything is checked before anything runs: a malformed file is an
//! error naming the file, the step (numbered from 1) and the field.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use o2c_core::company::SetUpCompany;
use o2c_core::uuid::Uuid;
use o2c_core::{Actor, ActorId, Command, CompanyId, Event, Role};
use serde_json::{Map, Value};

use super::labels::{self, Labels, NAMESPACE};
use super::query::{self, Query};
use super::{Scenario, ScenarioError};

/// The actor that sets up the company before the first step.
pub(crate) const SETUP_ACTOR: &str = "scenario-admin";

/// What a command step expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Expectation {
    /// Accepted.
    Ok,
    /// Accepted, appending events of exactly these names, in order.
    Events(Vec<String>),
    /// Refused with this `DomainError` variant.
    Error(String),
}

/// A command step, ready to execute.
#[derive(Clone, Debug)]
pub(crate) struct CommandStep {
    pub(crate) command: Command,
    pub(crate) actor: Actor,
    pub(crate) command_id: Uuid,
    pub(crate) expect: Expectation,
}

/// What a step does.
#[derive(Clone, Debug)]
pub(crate) enum StepKind {
    /// Execute a command.
    Command(Box<CommandStep>),
    /// Compare a query's answer with the expected (partial) value.
    Query { query: Query, expect: Value },
}

/// One step of a scenario.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    /// Position in the file, from 1.
    pub(crate) number: usize,
    /// Its business time, when it sets one.
    pub(crate) at: Option<DateTime<Utc>>,
    /// How the report names it: "ConfirmOrder SO-1", "query order SO-1".
    pub(crate) title: String,
    pub(crate) kind: StepKind,
}

/// A field problem found while reading: (field, message).
type FieldError = (String, String);

struct Reader<'a> {
    file: &'a str,
}

impl Reader<'_> {
    fn malformed(&self, step: Option<usize>, (field, message): FieldError) -> ScenarioError {
        ScenarioError::Malformed {
            file: self.file.to_string(),
            step,
            field,
            message,
        }
    }
}

/// The last component of a file path: what command ids are derived from, so that they do
/// not depend on where the file sits.
fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

/// Reads a scenario from its text.
pub(crate) fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let reader = Reader { file };
    let root: Value = serde_json::from_str(text).map_err(|e| {
        reader.malformed(
            None,
            (
                "(document)".into(),
                format!("not valid JSON at line {}, column {}: {e}", e.line(), e.column()),
            ),
        )
    })?;
    let header = |e: FieldError| reader.malformed(None, e);
    let Value::Object(root) = root else {
        return Err(header((
            "(document)".into(),
            "a scenario is a JSON object".into(),
        )));
    };
    check_keys(
        &root,
        "",
        &["name", "description", "at", "company", "actors", "steps"],
    )
    .map_err(header)?;
    let name = text_field(&root, "name", "").map_err(header)?;
    let description = match root.get("description") {
        None => None,
        Some(_) => Some(text_field(&root, "description", "").map_err(header)?),
    };
    let at = time(required(&root, "at").map_err(header)?, "at").map_err(header)?;
    let mut labels = Labels::default();
    let (company, company_title) =
        company(required(&root, "company").map_err(header)?, &mut labels).map_err(header)?;
    let actors = actors(root.get("actors")).map_err(header)?;
    let Some(Value::Array(items)) = root.get("steps") else {
        return Err(header(("steps".into(), "required: a list of steps".into())));
    };
    let seed = base_name(file);
    let company_id = company.company_id;
    let admin = ActorId::new(SETUP_ACTOR).map_err(|e| header(("company".into(), e.to_string())))?;
    let mut steps = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let number = index + 1;
        let step = read_step(item, number, seed, company.company_id, &actors, &mut labels)
            .map_err(|e| reader.malformed(Some(number), e))?;
        steps.push(step);
    }
    Ok(Scenario {
        file: file.to_string(),
        name,
        description,
        at,
        company,
        company_title,
        setup_command_id: Uuid::new_v5(&NAMESPACE, format!("{seed}#company").as_bytes()),
        setup_actor: Actor::new(admin).member_of(company_id, [Role::Admin]),
        steps,
        labels,
    })
}

fn required<'v>(map: &'v Map<String, Value>, key: &str) -> Result<&'v Value, FieldError> {
    map.get(key)
        .ok_or_else(|| (key.to_string(), "required".to_string()))
}

fn check_keys(map: &Map<String, Value>, prefix: &str, allowed: &[&str]) -> Result<(), FieldError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err((
            format!("{prefix}{key}"),
            format!("unknown field; expected one of {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

fn text_field(map: &Map<String, Value>, key: &str, prefix: &str) -> Result<String, FieldError> {
    match map.get(key) {
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(text.clone()),
        Some(_) => Err((format!("{prefix}{key}"), "must be non-blank text".into())),
        None => Err((format!("{prefix}{key}"), "required".into())),
    }
}

/// A business time: RFC 3339 (`2026-03-02T09:00:00Z`), or a date alone (midnight UTC).
pub(crate) fn time(value: &Value, field: &str) -> Result<DateTime<Utc>, FieldError> {
    let problem = || {
        (
            field.to_string(),
            "must be an RFC 3339 time (2026-03-02T09:00:00Z) or a date".into(),
        )
    };
    let Value::String(text) = value else {
        return Err(problem());
    };
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(problem)
}

fn company(value: &Value, labels: &mut Labels) -> Result<(SetUpCompany, String), FieldError> {
    let mut body = value.clone();
    let title = labels::subject("SetUpCompany", &body).unwrap_or_default();
    labels.rewrite_command("SetUpCompany", &mut body);
    let company =
        serde_json::from_value::<SetUpCompany>(body.clone()).map_err(|e| decode_error("company", &e))?;
    refuse_unknown_fields(&body, &company, "company")?;
    Ok((company, title))
}

/// Refuses a field the command types do not know (serde would ignore it): every key of the
/// input must come back when the decoded command is written again, since commands write
/// every field they have.
fn refuse_unknown_fields(
    input: &Value,
    decoded: &impl serde::Serialize,
    prefix: &str,
) -> Result<(), FieldError> {
    let written = serde_json::to_value(decoded).map_err(|e| (prefix.to_string(), e.to_string()))?;
    match unknown_key(input, &written, prefix) {
        Some(path) => Err((path, "unknown field".into())),
        None => Ok(()),
    }
}

fn unknown_key(input: &Value, written: &Value, path: &str) -> Option<String> {
    match (input, written) {
        (Value::Object(given), Value::Object(known)) => given.iter().find_map(|(key, value)| {
            let key_path = format!("{path}.{key}");
            match known.get(key) {
                Some(known_value) => unknown_key(value, known_value, &key_path),
                None => Some(key_path),
            }
        }),
        (Value::Array(given), Value::Array(known)) => given
            .iter()
            .zip(known)
            .enumerate()
            .find_map(|(i, (value, known_value))| unknown_key(value, known_value, &format!("{path}[{i}]"))),
        _ => None,
    }
}

/// A serde message turned into a field path: "missing field `x`" names `x`.
fn decode_error(prefix: &str, error: &serde_json::Error) -> FieldError {
    let message = error.to_string();
    let named = ["missing field `", "unknown field `", "duplicate field `"]
        .iter()
        .find_map(|start| {
            message
                .split_once(start)
                .and_then(|(_, rest)| rest.split_once('`'))
        })
        .map(|(field, _)| field.to_string());
    let field = match named {
        Some(name) => format!("{prefix}.{name}"),
        None => prefix.to_string(),
    };
    (field, message)
}

fn roles(value: &Value, field: &str) -> Result<Vec<Role>, FieldError> {
    let Value::Array(items) = value else {
        return Err((field.to_string(), "must be a list of role names".into()));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, role)| {
            serde_json::from_value::<Role>(role.clone()).map_err(|e| (format!("{field}[{i}]"), e.to_string()))
        })
        .collect()
}

fn actors(value: Option<&Value>) -> Result<BTreeMap<String, Vec<Role>>, FieldError> {
    let Some(value) = value else {
        return Ok(BTreeMap::new());
    };
    let Value::Object(map) = value else {
        return Err(("actors".into(), "must map actor ids to lists of roles".into()));
    };
    let mut out = BTreeMap::new();
    for (actor, list) in map {
        ActorId::new(actor).map_err(|e| (format!("actors.{actor}"), e.to_string()))?;
        out.insert(actor.clone(), roles(list, &format!("actors.{actor}"))?);
    }
    Ok(out)
}

const COMMAND_KEYS: &[&str] = &["command", "actor", "roles", "at", "command_id", "expect", "note"];
const QUERY_KEYS: &[&str] = &["query", "at", "expect", "note"];

fn read_step(
    value: &Value,
    number: usize,
    seed: &str,
    company: CompanyId,
    actors: &BTreeMap<String, Vec<Role>>,
    labels: &mut Labels,
) -> Result<Step, FieldError> {
    let Value::Object(map) = value else {
        return Err(("(step)".into(), "a step is a JSON object".into()));
    };
    let at = map.get("at").map(|v| time(v, "at")).transpose()?;
    if let Some(note) = map.get("note") {
        if !note.is_string() {
            return Err(("note".into(), "must be text".into()));
        }
    }
    match (map.get("command"), map.get("query")) {
        (Some(command), None) => {
            check_keys(map, "", COMMAND_KEYS)?;
            read_command(map, command, number, seed, company, actors, labels, at)
        }
        (None, Some(query)) => {
            check_keys(map, "", QUERY_KEYS)?;
            let (query, title) = query::parse(query, labels)?;
            let expect = map.get("expect").cloned().ok_or_else(|| {
                (
                    "expect".to_string(),
                    "required: the values the query must give".to_string(),
                )
            })?;
            Ok(Step {
                number,
                at,
                title: format!("query {title}"),
                kind: StepKind::Query { query, expect },
            })
        }
        (Some(_), Some(_)) => Err(("query".into(), "a step is a command or a query, not both".into())),
        (None, None) => Err((
            "command".into(),
            "a step needs a \"command\" or a \"query\"".into(),
        )),
    }
}

#[allow(clippy::too_many_arguments)]
fn read_command(
    map: &Map<String, Value>,
    command: &Value,
    number: usize,
    seed: &str,
    company: CompanyId,
    actors: &BTreeMap<String, Vec<Role>>,
    labels: &mut Labels,
    at: Option<DateTime<Utc>>,
) -> Result<Step, FieldError> {
    let (name, body) = match command {
        Value::Object(tagged) if tagged.len() == 1 => tagged
            .iter()
            .next()
            .map(|(name, body)| (name.clone(), body.clone()))
            .ok_or_else(|| ("command".to_string(), "empty".to_string()))?,
        _ => {
            return Err((
                "command".into(),
                "must be one command tagged by its name, e.g. {\"ConfirmOrder\": {\"order_id\": \"SO-1\"}}"
                    .into(),
            ));
        }
    };
    if !Command::NAMES.contains(&name.as_str()) {
        return Err((format!("command.{name}"), "unknown command".into()));
    }
    let subject = labels::subject(&name, &body);
    let mut body = body;
    labels.rewrite_command(&name, &mut body);
    let mut tagged = Map::new();
    tagged.insert(name.clone(), body);
    let input = Value::Object(tagged);
    let command = serde_json::from_value::<Command>(input.clone())
        .map_err(|e| decode_error(&format!("command.{name}"), &e))?;
    refuse_unknown_fields(&input, &command, "command")?;
    let actor_id = text_field(map, "actor", "")?;
    let actor = ActorId::new(&actor_id).map_err(|e| ("actor".to_string(), e.to_string()))?;
    let roles = match map.get("roles") {
        Some(value) => roles(value, "roles")?,
        None => actors.get(&actor_id).cloned().ok_or_else(|| {
            (
                "roles".to_string(),
                format!("required: actor {actor_id:?} is not listed in the header's \"actors\""),
            )
        })?,
    };
    let command_id = match map.get("command_id") {
        None => Uuid::new_v5(&NAMESPACE, format!("{seed}#step-{number}").as_bytes()),
        Some(Value::String(label)) => labels::label_id(label),
        Some(_) => return Err(("command_id".into(), "must be a label or a UUID".into())),
    };
    let expect = expectation(map.get("expect"))?;
    let title = match subject {
        Some(subject) => format!("{name} {subject}"),
        None => name,
    };
    Ok(Step {
        number,
        at,
        title,
        kind: StepKind::Command(Box::new(CommandStep {
            command,
            actor: Actor::new(actor).member_of(company, roles),
            command_id,
            expect,
        })),
    })
}

fn expectation(value: Option<&Value>) -> Result<Expectation, FieldError> {
    let wrong = || {
        (
            "expect".to_string(),
            "must be \"ok\", {\"error\": \"<DomainError variant>\"} or {\"events\": [\"<event name>\", …]}"
                .to_string(),
        )
    };
    let Some(value) = value else {
        return Ok(Expectation::Ok);
    };
    match value {
        Value::String(text) if text == "ok" => Ok(Expectation::Ok),
        Value::Object(map) if map.len() == 1 => match (map.get("error"), map.get("events")) {
            (Some(Value::String(error)), None) => {
                let identifier = error.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && error.chars().all(|c| c.is_ascii_alphanumeric());
                if identifier {
                    Ok(Expectation::Error(error.clone()))
                } else {
                    Err(("expect.error".into(), "must be a DomainError variant name".into()))
                }
            }
            (None, Some(Value::Array(names))) => names
                .iter()
                .enumerate()
                .map(|(i, name)| match name {
                    Value::String(name) if Event::NAMES.contains(&name.as_str()) => Ok(name.clone()),
                    _ => Err((format!("expect.events[{i}]"), "not an event name".to_string())),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Expectation::Events),
            _ => Err(wrong()),
        },
        _ => Err(wrong()),
    }
}
