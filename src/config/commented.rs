//! Comments placed into serialised TOML: `doclint config` writes the configuration file's own
//! type with `toml`, then says in comments where values came from and what has no key.

use std::fmt::Write;

/// A comment for serialised TOML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The table it belongs to (`front-matter`, `rules`), or `""` for the top of the file.
    pub table: String,
    /// The key it is about, or `None` for the table as a whole.
    pub key: Option<String>,
    /// The text, one line.
    pub text: String,
    /// Whether it goes at the end of the key's line rather than on the line before.
    pub trailing: bool,
}

impl Note {
    /// A comment at the top of a table (`""`: of the file).
    pub fn table(table: &str, text: String) -> Note {
        Note {
            table: table.to_string(),
            key: None,
            text,
            trailing: false,
        }
    }

    /// A comment on the line before a key of a table.
    pub fn before(table: &str, key: &str, text: String) -> Note {
        Note {
            key: Some(key.to_string()),
            ..Note::table(table, text)
        }
    }

    /// A comment at the end of a key's line.
    pub fn after(table: &str, key: &str, text: String) -> Note {
        Note {
            trailing: true,
            ..Note::before(table, key, text)
        }
    }
}

/// Puts the notes into serialised TOML (`toml::to_string_pretty` output): a table's notes after
/// its first header, the file's before its first line, a key's before (or at the end of) its
/// line. Comment text is kept to one line with control characters escaped.
pub fn annotate(text: &str, notes: &[Note]) -> String {
    let mut out = String::new();
    let comment = |out: &mut String, note: &Note| {
        let _ = writeln!(out, "# {}", crate::report::escape::line(&note.text));
    };
    let mut placed = vec![false; notes.len()];
    let place_table_notes = |out: &mut String, table: &str, placed: &mut [bool]| {
        for (i, note) in notes.iter().enumerate() {
            if !placed[i] && note.key.is_none() && note.table == table {
                comment(out, note);
                placed[i] = true;
            }
        }
    };
    place_table_notes(&mut out, "", &mut placed);
    let mut table = String::new();
    for line in text.lines() {
        let header = line
            .strip_prefix("[[")
            .and_then(|l| l.strip_suffix("]]"))
            .or_else(|| line.strip_prefix('[').and_then(|l| l.strip_suffix(']')));
        if let Some(name) = header {
            table = name.to_string();
            out.push_str(line);
            out.push('\n');
            place_table_notes(&mut out, &table, &mut placed);
            continue;
        }
        let key = line
            .split_once(" = ")
            .filter(|_| !line.starts_with(' '))
            .map(|(k, _)| k.trim_matches('"'));
        let mut trailing = Vec::new();
        for (i, note) in notes.iter().enumerate() {
            if placed[i] || key.is_none() || note.table != table || note.key.as_deref() != key {
                continue;
            }
            placed[i] = true;
            if note.trailing {
                trailing.push(crate::report::escape::line(&note.text).into_owned());
            } else {
                comment(&mut out, note);
            }
        }
        out.push_str(line);
        if !trailing.is_empty() {
            let _ = write!(out, "  # {}", trailing.join("; "));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_go_to_the_top_their_table_and_their_key() {
        let text = "root = \".\"\n\n[rules]\nDL101 = \"error\"\n\n[links]\nignore = []\n";
        let notes = [
            Note::table("", "top".into()),
            Note::after("rules", "DL101", "front-matter-missing".into()),
            Note::table("links", "links note".into()),
            Note::before("links", "ignore", "imported\nfrom x".into()),
        ];
        assert_eq!(
            annotate(text, &notes),
            "# top\nroot = \".\"\n\n[rules]\nDL101 = \"error\"  # front-matter-missing\n\n\
             [links]\n# links note\n# imported\\nfrom x\nignore = []\n"
        );
    }
}
