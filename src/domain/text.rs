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

/// Trims a user-supplied name; None when nothing is left.
pub fn clean_name(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
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

    proptest! {
        #[test]
        fn search_key_is_idempotent(text in "\\PC{0,30}") {
            let once = search_key(&text);
            prop_assert_eq!(search_key(&once), once.clone());
        }
    }
}
