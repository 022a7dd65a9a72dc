//! Plain-text tables for the terminal: a header, a rule, and rows with columns aligned
//! (numbers to the right). The last column is not padded, so long text may run on.

use std::io::{self, Write};

/// Where a column's cells sit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Figures.
    Right,
}

/// A table being filled.
#[derive(Debug)]
pub struct Table {
    headers: Vec<String>,
    aligns: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these columns.
    pub fn new(columns: &[(&str, Align)]) -> Self {
        Self {
            headers: columns.iter().map(|(h, _)| (*h).to_string()).collect(),
            aligns: columns.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (missing cells are blank, extra cells are dropped).
    pub fn row(&mut self, mut cells: Vec<String>) {
        cells.resize(self.headers.len(), String::new());
        self.rows.push(cells);
    }

    /// True when no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Writes the table, each line indented by `indent` spaces.
    pub fn write(&self, out: &mut dyn Write, indent: usize) -> io::Result<()> {
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| r[c].chars().count())
                    .chain([self.headers[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let pad = " ".repeat(indent);
        self.line(out, &pad, &self.headers, &widths)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        self.line(out, &pad, &rule, &widths)?;
        for row in &self.rows {
            self.line(out, &pad, row, &widths)?;
        }
        Ok(())
    }

    fn line(&self, out: &mut dyn Write, pad: &str, cells: &[String], widths: &[usize]) -> io::Result<()> {
        let last = cells.len().saturating_sub(1);
        let mut text = String::from(pad);
        for (index, cell) in cells.iter().enumerate() {
            if index > 0 {
                text.push_str("  ");
            }
            let fill = widths[index].saturating_sub(cell.chars().count());
            match self.aligns[index] {
                Align::Right => {
                    text.push_str(&" ".repeat(fill));
                    text.push_str(cell);
                }
                Align::Left if index == last => text.push_str(cell),
                Align::Left => {
                    text.push_str(cell);
                    text.push_str(&" ".repeat(fill));
                }
            }
        }
        writeln!(out, "{}", text.trim_end())
    }
}
