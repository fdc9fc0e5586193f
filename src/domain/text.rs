use icu_properties::CodePointSetData;
use icu_properties::props::{BidiControl, DefaultIgnorableCodePoint};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The form of a text used to compare and search: lower case, without accents, with runs of
/// whitespace collapsed to one space and control characters dropped. "  Café  Torrado" and
/// "cafe torrado" have the same key.
pub fn search_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.to_lowercase().nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_whitespace() {
            pending_space = !key.is_empty();
        } else if !c.is_control() {
            if pending_space {
                key.push(' ');
                pending_space = false;
            }
            key.push(c);
        }
    }
    key
}

/// The search key of a product: its name and code, so that a search finds either.
pub fn product_search_key(name: &str, code: Option<&str>) -> String {
    search_key(&format!("{}\n{}", name, code.unwrap_or_default()))
}

/// A `LIKE` pattern that matches `needle` anywhere, with `%`, `_` and the escape character
/// taken literally. Use with `ESCAPE '\'`.
pub fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Why a name or text typed by a user is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    /// Nothing visible is left once spaces and invisible characters are left out.
    Empty,
    /// A control character (ESC, BEL, DEL, ...), a line break where one line is expected, or a
    /// character that turns the direction of the text around it (U+202E, ...).
    InvalidCharacters,
}

/// Characters that show nothing: spaces, and those that Unicode says to draw as nothing
/// (zero-width spaces and joiners, the soft hyphen, variation selectors, fillers, ...).
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace() || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
}

fn is_refused(c: char, multi_line: bool) -> bool {
    let line_break = matches!(c, '\n' | '\u{2028}' | '\u{2029}');
    (c.is_control() && !(multi_line && matches!(c, '\n' | '\t')))
        || (line_break && !multi_line)
        || CodePointSetData::new::<BidiControl>().contains(c)
}

/// The stored form of a name, for data that must be kept as far as it can be (imports): NFC,
/// trimmed; None when nothing visible is left. See [`name`] for what users type.
pub fn clean_name(text: &str) -> Option<String> {
    let text: String = text.nfc().collect();
    let trimmed = text.trim();
    (!trimmed.chars().all(is_invisible)).then(|| trimmed.to_string())
}

/// A one-line name as a user typed it (of a product, a category, a code): its [`clean_name`],
/// refused with control characters or line breaks in it.
pub fn name(text: &str) -> Result<String, TextError> {
    if text.chars().any(|c| is_refused(c, false)) {
        return Err(TextError::InvalidCharacters);
    }
    clean_name(text).ok_or(TextError::Empty)
}

/// A text of several lines (a description): as [`name`], but tabs and line breaks are kept, each
/// break as `\n` whichever way it was sent (CRLF, CR, U+2028, ...).
pub fn multi_line(text: &str) -> Result<String, TextError> {
    let text = text.replace("\r\n", "\n").replace(['\r', '\u{85}', '\u{2028}', '\u{2029}'], "\n");
    if text.chars().any(|c| is_refused(c, true)) {
        return Err(TextError::InvalidCharacters);
    }
    clean_name(&text).ok_or(TextError::Empty)
}

/// A username: a [`name`] in which no character only looks like a space or like nothing, so that
/// no username can pass for another ("ad\u{200b}min" for "admin"). Kept as typed otherwise: case
/// and accents are part of it, and login finds a user by this same form.
pub fn username(text: &str) -> Result<String, TextError> {
    let name = name(text)?;
    if name.chars().any(|c| c != ' ' && is_invisible(c)) {
        return Err(TextError::InvalidCharacters);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accents_case_and_spacing_do_not_matter() {
        assert_eq!(search_key("Café Torrado"), "cafe torrado");
        assert_eq!(search_key("  AÇÚCAR\t Refinado "), "acucar refinado");
        assert_eq!(search_key("Pão Francês (unid.)"), "pao frances (unid.)");
        assert_eq!(search_key("Água\u{0}"), "agua");
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(contains_pattern("50%"), "%50\\%%");
        assert_eq!(contains_pattern("a_b\\c"), "%a\\_b\\\\c%");
    }

    #[test]
    fn names_are_composed_and_trimmed() {
        assert_eq!(name("  Pa\u{303}o de Ac\u{327}u\u{301}car\u{3000}"), Ok("Pão de Açúcar".into()));
        assert_eq!(name("Caf\u{e9}"), name("Cafe\u{301}"));
        assert_eq!(name("\u{200b}Café"), Ok("\u{200b}Café".into()), "an invisible character is no error in a name");
        assert_eq!(name("❤\u{fe0f}"), Ok("❤\u{fe0f}".into()), "nor is an emoji's variation selector");
    }

    #[test]
    fn control_characters_and_direction_overrides_are_refused() {
        for c in [
            '\u{0}', '\u{1b}', '\u{7}', '\t', '\n', '\r', '\u{7f}', '\u{85}', '\u{9b}', '\u{2028}', '\u{202e}',
            '\u{2067}', '\u{200f}',
        ] {
            assert_eq!(name(&format!("a{c}b")), Err(TextError::InvalidCharacters), "{c:?}");
        }
        assert_eq!(name("\u{1b}[31mCafé\u{1b}[0m"), Err(TextError::InvalidCharacters));
    }

    #[test]
    fn names_with_nothing_visible_are_empty() {
        for text in [
            "",
            " ",
            "\u{200b}",
            "\u{200b}\u{feff}\u{2060}",
            " \u{200c}\u{200d} ",
            "\u{ad}",
            "\u{3164}",
            "\u{fe0f}",
            "\u{a0}\u{3000}",
        ] {
            assert_eq!(name(text), Err(TextError::Empty), "{text:?}");
            assert_eq!(clean_name(text), None, "{text:?}");
        }
    }

    #[test]
    fn multi_line_texts_keep_tabs_and_line_breaks_as_newlines() {
        assert_eq!(
            multi_line(" Linha 1\r\n\tLinha 2\rLinha 3\u{2028}Fim\n\n"),
            Ok("Linha 1\n\tLinha 2\nLinha 3\nFim".into())
        );
        assert_eq!(multi_line("a\u{1b}b"), Err(TextError::InvalidCharacters));
        assert_eq!(multi_line("a\u{b}b"), Err(TextError::InvalidCharacters));
        assert_eq!(multi_line("\n\t\u{200b}\r\n"), Err(TextError::Empty));
    }

    #[test]
    fn usernames_hold_no_character_that_passes_for_a_space_or_for_nothing() {
        assert_eq!(username(" Jose\u{301} "), Ok("José".into()));
        assert_eq!(username("Maria Silva"), Ok("Maria Silva".into()));
        for text in ["ad\u{200b}min", "ma\u{ad}ria", "maria\u{a0}silva", "jo\u{2060}ao"] {
            assert_eq!(username(text), Err(TextError::InvalidCharacters), "{text:?}");
        }
        assert_eq!(username("\u{200b}"), Err(TextError::Empty));
    }

    proptest! {
        #[test]
        fn search_key_is_idempotent(text in "\\PC{0,30}") {
            let once = search_key(&text);
            prop_assert_eq!(search_key(&once), once.clone());
        }

        #[test]
        fn an_accepted_name_is_composed_trimmed_visible_and_stable(text in "\\PC{0,30}|.{0,30}") {
            if let Ok(clean) = name(&text) {
                prop_assert!(unicode_normalization::is_nfc(&clean));
                prop_assert_eq!(clean.trim(), clean.as_str());
                prop_assert!(!clean.chars().all(is_invisible));
                prop_assert!(!clean.chars().any(char::is_control));
                prop_assert_eq!(name(&clean), Ok(clean.clone()));
            }
        }

        #[test]
        fn any_control_character_refuses_a_name(prefix in "\\PC{0,10}", c in "\\p{Cc}", suffix in "\\PC{0,10}") {
            prop_assert_eq!(name(&format!("{prefix}{c}{suffix}")), Err(TextError::InvalidCharacters));
        }

        #[test]
        fn an_accepted_multi_line_text_is_stable_and_has_only_newlines_and_tabs(text in "(\\PC|[\r\n\t\u{2028}]){0,40}") {
            if let Ok(clean) = multi_line(&text) {
                prop_assert!(!clean.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
                prop_assert_eq!(multi_line(&clean), Ok(clean.clone()));
            }
        }
    }
}
