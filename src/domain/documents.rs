//! Brazilian document numbers: the CPF (people) and the CNPJ (companies), numeric or the
//! alphanumeric CNPJ the Receita Federal issues from July 2026. Parsing accepts the numbers as
//! people type them (with or without punctuation) and returns them normalised: digits only for
//! the CPF, 14 upper-case characters for the CNPJ. `format_cpf` and `format_cnpj` punctuate them
//! back for people.

/// Why a CPF or CNPJ is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Not 11 digits once `.`, `-` and spaces are left out (a letter, a digit too many, ...).
    #[error("CPF deve ter 11 dígitos")]
    CpfLength,
    #[error("CPF inválido: dígito verificador não confere")]
    CpfCheckDigits,
    /// `000.000.000-00`, `111.111.111-11`, ...: their check digits add up, but they are no CPF.
    #[error("CPF inválido: todos os dígitos são iguais")]
    CpfRepeated,
    #[error("CNPJ deve ter 14 caracteres")]
    CnpjLength,
    /// A character other than a letter or a digit in the first 12 positions, or a letter in the
    /// last 2 (the check digits are always digits).
    #[error("CNPJ inválido: use letras e dígitos nas 12 primeiras posições e dígitos nas 2 últimas")]
    CnpjCharacters,
    #[error("CNPJ inválido: dígito verificador não confere")]
    CnpjCheckDigits,
    #[error("CNPJ inválido: todos os caracteres são iguais")]
    CnpjRepeated,
}

/// A CPF as 11 digits. Accepts `123.456.789-09` and `12345678909` (`.`, `-` and spaces are left
/// out wherever they are); refuses wrong check digits and numbers of one repeated digit.
pub fn cpf(text: &str) -> Result<String, DocumentError> {
    let digits = without(text, &['.', '-']);
    if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DocumentError::CpfLength);
    }
    if all_same(&digits) {
        return Err(DocumentError::CpfRepeated);
    }
    let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    let first = check_digit(&values[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]);
    let second = check_digit(&values[..10], &[11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    if values[9..] != [first, second] {
        return Err(DocumentError::CpfCheckDigits);
    }
    Ok(digits)
}

/// A CNPJ as 14 upper-case characters. Accepts `11.222.333/0001-81`, `11222333000181` and the
/// alphanumeric `12.ABC.345/01DE-35` in any case (`.`, `/`, `-` and spaces are left out).
///
/// The first 12 positions are digits or letters, the last 2 the check digits. Each character
/// counts as its ASCII code minus 48 ('0'..'9' are 0..9, 'A' is 17, 'Z' is 42), which makes the
/// rule for numeric CNPJs a special case of the alphanumeric one.
pub fn cnpj(text: &str) -> Result<String, DocumentError> {
    let normalised = without(text, &['.', '/', '-']).to_ascii_uppercase();
    if normalised.chars().count() != 14 {
        return Err(DocumentError::CnpjLength);
    }
    if !normalised.is_ascii() {
        return Err(DocumentError::CnpjCharacters);
    }
    let (base, check) = normalised.split_at(12);
    let base_ok = base.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    if !base_ok || !check.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DocumentError::CnpjCharacters);
    }
    if all_same(&normalised) {
        return Err(DocumentError::CnpjRepeated);
    }
    let values: Vec<u32> = normalised.bytes().map(|b| u32::from(b - b'0')).collect();
    let first = check_digit(&values[..12], &[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
    let second = check_digit(&values[..13], &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
    if values[12..] != [first, second] {
        return Err(DocumentError::CnpjCheckDigits);
    }
    Ok(normalised)
}

/// `12345678909` → `123.456.789-09`. Anything but 11 characters comes back as it is.
pub fn format_cpf(normalised: &str) -> String {
    punctuate(normalised, 11, &[(3, '.'), (6, '.'), (9, '-')])
}

/// `12ABC34501DE35` → `12.ABC.345/01DE-35`. Anything but 14 characters comes back as it is.
pub fn format_cnpj(normalised: &str) -> String {
    punctuate(normalised, 14, &[(2, '.'), (5, '.'), (8, '/'), (12, '-')])
}

/// The mod 11 check digit of `values` under `weights`: 0 when the remainder is below 2,
/// 11 minus the remainder otherwise.
fn check_digit(values: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = values.iter().zip(weights).map(|(v, w)| v * w).sum();
    let remainder = sum % 11;
    if remainder < 2 { 0 } else { 11 - remainder }
}

/// `text` without whitespace and without the `separators`.
fn without(text: &str, separators: &[char]) -> String {
    text.chars().filter(|c| !c.is_whitespace() && !separators.contains(c)).collect()
}

fn all_same(text: &str) -> bool {
    let first = text.as_bytes().first();
    text.bytes().all(|b| Some(&b) == first)
}

/// `text` with `mark` inserted before the character at each position, if it has `len` chars.
fn punctuate(text: &str, len: usize, marks: &[(usize, char)]) -> String {
    if text.chars().count() != len {
        return text.to_string();
    }
    let mut out = String::with_capacity(len + marks.len());
    for (i, c) in text.chars().enumerate() {
        if let Some((_, mark)) = marks.iter().find(|(at, _)| *at == i) {
            out.push(*mark);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cpf_is_accepted_with_or_without_punctuation() {
        assert_eq!(cpf("123.456.789-09"), Ok("12345678909".into()));
        assert_eq!(cpf("12345678909"), Ok("12345678909".into()));
        assert_eq!(cpf(" 529.982.247-25 "), Ok("52998224725".into()));
        assert_eq!(cpf("111.444.777-35"), Ok("11144477735".into()));
    }

    #[test]
    fn a_cpf_whose_check_digits_do_not_add_up_is_refused() {
        assert_eq!(cpf("123.456.789-00"), Err(DocumentError::CpfCheckDigits));
        assert_eq!(cpf("123.456.789-19"), Err(DocumentError::CpfCheckDigits));
        assert_eq!(cpf("52998224724"), Err(DocumentError::CpfCheckDigits));
    }

    #[test]
    fn a_cpf_of_one_repeated_digit_is_refused() {
        assert_eq!(cpf("000.000.000-00"), Err(DocumentError::CpfRepeated));
        for digit in '1'..='9' {
            assert_eq!(cpf(&digit.to_string().repeat(11)), Err(DocumentError::CpfRepeated));
        }
    }

    #[test]
    fn a_cpf_must_be_11_digits() {
        assert_eq!(cpf(""), Err(DocumentError::CpfLength));
        assert_eq!(cpf("1234567890"), Err(DocumentError::CpfLength));
        assert_eq!(cpf("123456789090"), Err(DocumentError::CpfLength));
        assert_eq!(cpf("123.456.789-0a"), Err(DocumentError::CpfLength));
        assert_eq!(cpf("123/456/789-09"), Err(DocumentError::CpfLength));
        assert_eq!(cpf("１２３４５６７８９０９"), Err(DocumentError::CpfLength));
    }

    #[test]
    fn numeric_cnpjs_are_accepted_with_or_without_punctuation() {
        assert_eq!(cnpj("11.222.333/0001-81"), Ok("11222333000181".into()));
        assert_eq!(cnpj("11222333000181"), Ok("11222333000181".into()));
        assert_eq!(cnpj("00.000.000/0001-91"), Ok("00000000000191".into()));
        assert_eq!(cnpj("33.000.167/0001-01"), Ok("33000167000101".into()));
        assert_eq!(cnpj(" 11 222 333 0001 81 "), Ok("11222333000181".into()));
    }

    #[test]
    fn the_receitas_alphanumeric_example_is_accepted() {
        let values: Vec<u32> = "12ABC34501DE".bytes().map(|b| u32::from(b - b'0')).collect();
        let first = check_digit(&values, &[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
        assert_eq!(first, 3);
        let values: Vec<u32> = "12ABC34501DE3".bytes().map(|b| u32::from(b - b'0')).collect();
        assert_eq!(check_digit(&values, &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]), 5);

        assert_eq!(cnpj("12.ABC.345/01DE-35"), Ok("12ABC34501DE35".into()));
        assert_eq!(cnpj("12ABC34501DE35"), Ok("12ABC34501DE35".into()));
    }

    #[test]
    fn lower_case_cnpjs_are_accepted_and_upper_cased() {
        assert_eq!(cnpj("12.abc.345/01de-35"), Ok("12ABC34501DE35".into()));
        assert_eq!(cnpj("12aBc34501dE35"), Ok("12ABC34501DE35".into()));
    }

    #[test]
    fn a_cnpj_whose_check_digits_do_not_add_up_is_refused() {
        assert_eq!(cnpj("11.222.333/0001-82"), Err(DocumentError::CnpjCheckDigits));
        assert_eq!(cnpj("11.222.333/0001-91"), Err(DocumentError::CnpjCheckDigits));
        assert_eq!(cnpj("12.ABC.345/01DE-36"), Err(DocumentError::CnpjCheckDigits));
        assert_eq!(cnpj("12.ABD.345/01DE-35"), Err(DocumentError::CnpjCheckDigits));
    }

    #[test]
    fn a_cnpj_of_one_repeated_character_is_refused() {
        assert_eq!(cnpj("00.000.000/0000-00"), Err(DocumentError::CnpjRepeated));
        assert_eq!(cnpj("11111111111111"), Err(DocumentError::CnpjRepeated));
        assert_eq!(cnpj("99999999999999"), Err(DocumentError::CnpjRepeated));
    }

    #[test]
    fn a_cnpj_must_be_14_letters_or_digits_ending_in_two_digits() {
        assert_eq!(cnpj(""), Err(DocumentError::CnpjLength));
        assert_eq!(cnpj("11.222.333/0001-8"), Err(DocumentError::CnpjLength));
        assert_eq!(cnpj("11.222.333/0001-811"), Err(DocumentError::CnpjLength));
        assert_eq!(cnpj("12ABC34501DE3A"), Err(DocumentError::CnpjCharacters));
        assert_eq!(cnpj("12ABC34501D#35"), Err(DocumentError::CnpjCharacters));
        assert_eq!(cnpj("12ÁBC34501DE35"), Err(DocumentError::CnpjCharacters));
        assert_eq!(cnpj("12ABC34501DÉ35"), Err(DocumentError::CnpjCharacters));
        assert_eq!(cnpj("12ABC34501DE3٣"), Err(DocumentError::CnpjCharacters));
        assert_eq!(cnpj("12_BC34501DE35"), Err(DocumentError::CnpjCharacters));
    }

    #[test]
    fn documents_are_punctuated_for_people() {
        assert_eq!(format_cpf("12345678909"), "123.456.789-09");
        assert_eq!(format_cnpj("11222333000181"), "11.222.333/0001-81");
        assert_eq!(format_cnpj("12ABC34501DE35"), "12.ABC.345/01DE-35");
        assert_eq!(format_cnpj(&cnpj("12.abc.345/01de-35").unwrap()), "12.ABC.345/01DE-35");
        assert_eq!(format_cpf("123"), "123");
        assert_eq!(format_cnpj("123"), "123");
    }

    #[test]
    fn messages_are_in_portuguese() {
        assert_eq!(DocumentError::CpfCheckDigits.to_string(), "CPF inválido: dígito verificador não confere");
        assert_eq!(DocumentError::CnpjLength.to_string(), "CNPJ deve ter 14 caracteres");
    }
}
