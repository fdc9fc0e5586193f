//! What the OpenAPI document says the same way in many places: the answers every operation can
//! give (401 without a session, 413 for a body over the limit, 503 while the database is away),
//! the page parameters, and the schemas of input as the server really reads it: texts with the
//! characters it refuses and the spaces it trims, numbers sent as JSON numbers or numeric strings.

use crate::domain::settings::PRINTER_COLUMNS;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Content, KnownFormat, OpenApi, Ref, RefOr, SchemaFormat};

use crate::domain::cash::{MAX_REASON_CHARS, MAX_TERMINAL_CHARS};
use crate::domain::catalog::{MAX_CODE_CHARS, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_STOCK};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::sales::{MAX_IDEMPOTENCY_KEY_CHARS, MAX_QUANTITY};
use crate::domain::users::{MAX_PASSWORD_BYTES, MAX_USERNAME_CHARS, MIN_PASSWORD_CHARS};

/// Completes every operation of the finished document with what the extractors and the
/// middleware do, whatever the handler: see [`describe_path_ids`], [`allow_empty_query_values`]
/// and [`add_shared_responses`].
pub fn complete(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for operation in [&mut item.get, &mut item.post, &mut item.put, &mut item.delete].into_iter().flatten() {
            describe_path_ids(operation);
            allow_empty_query_values(operation);
            add_shared_responses(operation);
        }
    }
}

/// Query parameters are read leniently (`input::Params`): values are trimmed, and an empty one
/// counts as absent. utoipa has no field for `allowEmptyValue`; the parameter's extensions are
/// written into it as they are.
fn allow_empty_query_values(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        if let RefOr::T(parameter) = parameter
            && parameter.parameter_in == ParameterIn::Query
        {
            parameter.extensions.get_or_insert_with(Default::default).insert("allowEmptyValue".into(), true.into());
        }
    }
}

/// A path's `{id}` is read as text: anything but a whole number greater than zero names nothing.
fn describe_path_ids(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        if let RefOr::T(parameter) = parameter
            && parameter.parameter_in == ParameterIn::Path
            && parameter.name == "id"
        {
            parameter.description = Some("Inteiro maior que zero; outro valor não encontra nada (404)".into());
            parameter.schema = Some(whole(1, i64::MAX).into());
        }
    }
}

/// The answers the extractors and the middleware give: 400 where a body or query parameters are
/// read, 401 where a session is required, 413 where a body is read, and 503 (database
/// unavailable, request timed out) everywhere. An answer the operation describes itself is kept.
fn add_shared_responses(operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_query = operation.parameters.iter().flatten().any(|p| match p {
        RefOr::T(p) => p.parameter_in == ParameterIn::Query,
        RefOr::Ref(_) => false,
    });
    let has_body = operation.request_body.is_some();
    let shared = [
        (has_body || has_query, "400", "Entrada inválida; a mensagem diz qual campo ou parâmetro"),
        (secured, "401", "Sem sessão válida: token ausente, inválido ou expirado, ou usuário removido ou desativado"),
        (has_body, "413", "Corpo da requisição maior que 1 MiB"),
        (true, "503", "Banco de dados indisponível ou tempo limite da requisição esgotado; tente de novo"),
    ];
    for (_, status, description) in shared.into_iter().filter(|(applies, ..)| *applies) {
        if operation.responses.responses.contains_key(status) {
            continue;
        }
        let mut response = ResponseBuilder::new().description(description).content("application/json", error_body());
        if status == "503" {
            response = response.header("Retry-After", retry_after());
        }
        operation.responses.responses.insert(status.to_string(), RefOr::T(response.build()));
    }
}

fn error_body() -> Content {
    Content::new(Some(Ref::from_schema_name("ErrorBody")))
}

/// The `Retry-After` header of 503 answers.
fn retry_after() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0))))
        .description(Some("Segundos a esperar antes de tentar de novo"))
        .build()
}

/// `page` and `per_page`, as every listing reads them. Like every query parameter, a value is
/// trimmed, and an empty one counts as absent.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PageQuery {
    /// Página, a partir de 1 (padrão 1). Uma página depois da última vem vazia.
    #[param(minimum = 1, maximum = 1_000_000_000_000_i64)]
    page: Option<i64>,
    /// Itens por página, de 1 a 100 (padrão 50; nas vendas, 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<i64>,
}

const _: () = assert!(PageRequest::MAX_PER_PAGE == 100, "a descrição de per_page cita o limite");
const _: () =
    assert!(MAX_TERMINAL_CHARS == 40 && MAX_REASON_CHARS == 200, "as descrições de terminal e reason citam os limites");

// The characters the text rules (`domain::text`) refuse, trim or count as nothing, as classes of
// a pattern. Tests below compare the patterns with the rules, character by character.

/// Control characters, line breaks, and the characters that turn the direction of text around.
const REFUSED: &str = r"\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069";
/// The same in a text of several lines, where tabs and line breaks are accepted.
const REFUSED_MULTI_LINE: &str =
    r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069";
/// The spaces trimmed from both ends that are not refused anyway.
const SPACES: &str = r"\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000";
/// Everything trimmed from both ends (what Rust's `str::trim` removes).
const WHITESPACE: &str = r"\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
/// What a text of several lines may have at its ends, trimmed: spaces and line breaks.
const LINE_ENDS: &str = r"\u0009\u000a\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
/// Characters that show nothing besides the spaces: zero-width spaces and joiners, the soft
/// hyphen, variation selectors, fillers.
const INVISIBLE: &str = r"\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2065\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8";

/// A one-line name, in two patterns that together say what the rule accepts (one pattern would
/// need a lookahead, which generators of test data handle badly): no refused character and
/// something visible,
pub fn name_characters_pattern() -> String {
    format!("^[^{REFUSED}]*[^{REFUSED}{SPACES}{INVISIBLE}][^{REFUSED}]*$")
}

/// and 1 to `max` characters once the spaces at both ends are trimmed.
pub fn trimmed_length_pattern(max: usize) -> String {
    format!("^[{SPACES}]*[^{REFUSED}]{{1,{max}}}[{SPACES}]*$")
}

/// A username: as a name, and inside it no space but U+0020 and no invisible character.
pub fn username_pattern() -> String {
    let visible = format!("[^{REFUSED}{SPACES}{INVISIBLE}]");
    let rest = MAX_USERNAME_CHARS - 1;
    format!("^[{SPACES}]*{visible}(?:{visible}| ){{0,{rest}}}[{SPACES}]*$")
}

/// A product's code: blank (it clears the code), or one line of 1 to 64 characters once the
/// spaces and line breaks at both ends are trimmed.
pub fn code_pattern() -> String {
    let max = MAX_CODE_CHARS;
    format!("^(?:[{LINE_ENDS}{INVISIBLE}]*|[{LINE_ENDS}]*[^{REFUSED}]{{1,{max}}}[{LINE_ENDS}]*)$")
}

/// A description: blank (it clears it), or lines of 1 to 2000 characters once trimmed.
pub fn description_pattern() -> String {
    multi_line_pattern(MAX_DESCRIPTION_CHARS)
}

/// Blank, or lines of 1 to `max` characters once trimmed.
fn multi_line_pattern(max: usize) -> String {
    format!("^(?:[{LINE_ENDS}{INVISIBLE}]*|[{LINE_ENDS}]*[^{REFUSED_MULTI_LINE}]{{1,{max}}}[{LINE_ENDS}]*)$")
}

/// The `search` parameter: at most 200 characters once trimmed.
pub fn search_pattern() -> String {
    format!("^(?:[{WHITESPACE}]*|[{WHITESPACE}]*[^\\u0000]{{1,{MAX_NAME_CHARS}}}[{WHITESPACE}]*)$")
}

/// Any text without NUL (which no one types, and PostgreSQL cannot store).
const NO_NUL: &str = r"^[^\u0000]*$";

fn text(pattern: impl Into<String>, description: &str) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).pattern(Some(pattern)).description(Some(description))
}

fn or_null(builder: ObjectBuilder) -> ObjectBuilder {
    builder.schema_type(SchemaType::from_iter([Type::String, Type::Null]))
}

/// The name of a product or a category.
pub fn catalog_name() -> RefOr<Schema> {
    one_line(MAX_NAME_CHARS)
}

/// The name of a store or a terminal.
pub fn store_name() -> RefOr<Schema> {
    one_line(crate::domain::stores::MAX_NAME_CHARS)
}

/// One line, without control or text-direction characters, with something visible, of at most
/// `max` characters once the spaces at both ends are removed.
fn one_line(max: usize) -> RefOr<Schema> {
    AllOfBuilder::new()
        .item(text(name_characters_pattern(), "Algum caractere visível").min_length(Some(1)))
        .item(text(trimmed_length_pattern(max), &format!("Até {max} caracteres, sem contar os espaços nas pontas")))
        .description(Some(format!(
            "Uma linha, sem caracteres de controle nem de direção do texto, com algum caractere visível; até {max} \
             caracteres sem contar os espaços nas pontas (que são removidos)"
        )))
        .into()
}

/// A product's code; blank or null clears it.
pub fn product_code() -> ObjectBuilder {
    or_null(text(
        code_pattern(),
        "Código de barras ou SKU: até 64 caracteres, sem contar os espaços nas pontas, numa linha, sem \
         caracteres de controle; único entre os produtos ativos. Vazio ou `null` apaga.",
    ))
}

/// A product's description; blank or null clears it.
pub fn product_description() -> ObjectBuilder {
    or_null(text(
        description_pattern(),
        "Até 2000 caracteres, sem contar os espaços nas pontas; aceita quebras de linha e tabulações, não \
         outros caracteres de controle. Vazio ou `null` apaga.",
    ))
}

pub fn username() -> ObjectBuilder {
    text(
        username_pattern(),
        "Até 80 caracteres, sem contar os espaços nas pontas; dentro, nenhum espaço além do comum e nenhum \
         caractere invisível ou de controle",
    )
    .min_length(Some(1))
}

/// A new password: 6 characters or more, 72 bytes (UTF-8) at most.
pub fn new_password() -> ObjectBuilder {
    text(NO_NUL, "Pelo menos 6 caracteres e no máximo 72 bytes em UTF-8 (72 caracteres sem acento)")
        .min_length(Some(MIN_PASSWORD_CHARS))
        .max_length(Some(MAX_PASSWORD_BYTES))
}

/// A password on an update: empty, null or absent keeps the current one.
pub fn changed_password() -> RefOr<Schema> {
    AnyOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::String).max_length(Some(0)))
        .item(new_password())
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some("Vazio, `null` ou ausente mantém a senha atual; senão, como na criação"))
        .into()
}

/// A password to check (login, the current password): any text that is not empty.
pub fn password() -> ObjectBuilder {
    text(NO_NUL, "A senha").min_length(Some(1))
}

/// Login's username: any text that is not empty (a name no one has is refused with 401).
pub fn login_username() -> ObjectBuilder {
    text(NO_NUL, "O nome do usuário").min_length(Some(1))
}

/// The `Idempotency-Key` header: 1 to 100 visible ASCII characters.
pub fn idempotency_key() -> ObjectBuilder {
    text(
        format!("^[\\t ]*[!-~]{{1,{MAX_IDEMPOTENCY_KEY_CHARS}}}[\\t ]*$"),
        "De 1 a 100 caracteres ASCII visíveis (sem espaços dentro)",
    )
}

/// A decimal written in a string, as the server reads numeric strings (`"12.50"`, `" 3 "`, `"1e3"`).
fn numeric_string() -> String {
    format!("^[{WHITESPACE}]*[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?[{WHITESPACE}]*$")
}

/// A number that may also come as a numeric string, as the first version accepted.
fn number_or_string(number: ObjectBuilder, description: &str, nullable: bool) -> RefOr<Schema> {
    let string = text(numeric_string(), "O mesmo número escrito em texto (`\"12.50\"`), com os mesmos limites");
    let mut one_of = OneOfBuilder::new().item(number).item(string);
    if nullable {
        one_of = one_of.item(ObjectBuilder::new().schema_type(Type::Null));
    }
    one_of.description(Some(description)).into()
}

fn whole(min: i64, max: i64) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(min))
        .maximum(Some(max))
}

/// A price in reais: more than zero, at most two decimals, at most R$ 10.000.000,00.
pub fn price() -> RefOr<Schema> {
    let max = Money::MAX_PRICE.cents() / 100;
    let number = ObjectBuilder::new()
        .schema_type(Type::Number)
        .exclusive_minimum(Some(0))
        .maximum(Some(max))
        .multiple_of(Some(0.01));
    number_or_string(number, "Preço em reais: maior que zero, no máximo duas casas decimais e R$ 10.000.000,00", false)
}

/// An amount of money in reais: more than zero, at most two decimals, at most R$ 10.000.000,00.
pub fn amount() -> RefOr<Schema> {
    let max = Money::MAX_PRICE.cents() / 100;
    let number = ObjectBuilder::new()
        .schema_type(Type::Number)
        .exclusive_minimum(Some(0))
        .maximum(Some(max))
        .multiple_of(Some(0.01));
    number_or_string(number, "Valor em reais: maior que zero, no máximo duas casas decimais e R$ 10.000.000,00", true)
}

/// An amount of money a body requires, in reais: at most two decimals, at most R$ 10.000.000,00,
/// and more than zero, or (`zero_allowed`) zero or more.
fn required_money(zero_allowed: bool, description: &str) -> RefOr<Schema> {
    let max = Money::MAX_PRICE.cents() / 100;
    let number = ObjectBuilder::new().schema_type(Type::Number).maximum(Some(max)).multiple_of(Some(0.01));
    let number = if zero_allowed { number.minimum(Some(0)) } else { number.exclusive_minimum(Some(0)) };
    number_or_string(number, description, false)
}

/// A cash movement's amount.
pub fn positive_amount() -> RefOr<Schema> {
    required_money(false, "Valor em reais: maior que zero, no máximo duas casas decimais e R$ 10.000.000,00")
}

/// A unit cost: zero or more.
pub fn cost() -> RefOr<Schema> {
    required_money(true, "Custo em reais: zero ou mais, no máximo duas casas decimais e R$ 10.000.000,00")
}

/// An opening float, or the cash counted at closing.
pub fn amount_or_zero() -> RefOr<Schema> {
    required_money(true, "Valor em reais: zero ou mais, no máximo duas casas decimais e R$ 10.000.000,00")
}

/// A cash session's terminal: a short name; absent or null is `PDV`.
pub fn terminal() -> RefOr<Schema> {
    AllOfBuilder::new()
        .item(or_null(text(name_characters_pattern(), "Algum caractere visível")))
        .item(or_null(text(
            trimmed_length_pattern(MAX_TERMINAL_CHARS),
            "Até 40 caracteres, sem contar os espaços nas pontas",
        )))
        .description(Some(
            "Nome curto do terminal: uma linha, sem caracteres de controle, com algum caractere visível, até 40 \
             caracteres sem contar os espaços nas pontas. Ausente ou `null`: `PDV`.",
        ))
        .into()
}

/// The reason of a cash movement; blank or null is none.
pub fn movement_reason() -> ObjectBuilder {
    or_null(text(
        multi_line_pattern(MAX_REASON_CHARS),
        "Motivo: até 200 caracteres, sem contar os espaços nas pontas; aceita quebras de linha. Vazio, `null` ou \
         ausente: sem motivo.",
    ))
}

/// A day, `YYYY-MM-DD`.
pub fn date() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .description(Some("Dia no fuso do negócio, `AAAA-MM-DD`; ausente: hoje"))
}

/// A text setting: null or blank clears it; its rules are in the field's description.
pub fn setting_text() -> ObjectBuilder {
    or_null(text(NO_NUL, "Texto; vazio ou `null` apaga"))
}

/// The employees' discount limit, in percent.
pub fn discount_limit() -> RefOr<Schema> {
    let number =
        ObjectBuilder::new().schema_type(Type::Number).minimum(Some(0)).maximum(Some(100)).multiple_of(Some(0.01));
    number_or_string(number, "Percentual de 0 a 100, no máximo duas casas decimais", false)
}

/// Characters per line of the thermal printer.
pub fn printer_columns() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .enum_values(Some(PRINTER_COLUMNS))
        .description(Some("48 (papel de 80 mm) ou 32 (58 mm)"))
        .into()
}

/// The reason of a cancellation or a return.
pub fn reason() -> RefOr<Schema> {
    one_line(500)
}

/// A percentage: more than zero, at most 100, at most two decimals.
pub fn percent() -> RefOr<Schema> {
    let number = ObjectBuilder::new()
        .schema_type(Type::Number)
        .exclusive_minimum(Some(0))
        .maximum(Some(100))
        .multiple_of(Some(0.01));
    number_or_string(number, "Percentual: maior que zero, até 100, no máximo duas casas decimais", true)
}

/// A stock (or a minimum stock) that an update may not clear.
pub fn stock() -> RefOr<Schema> {
    number_or_string(measured(0, MAX_STOCK), STOCK, false)
}

const STOCK: &str = "De 0 a 1.000.000.000: inteiro em UN, CX, ...; até três casas decimais em KG, L e M";

/// A quantity in a product's unit: whole for most units, up to three decimals (grams,
/// millilitres, millimetres) for KG, L and M.
fn measured(min: i64, max: i64) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Number).minimum(Some(min)).maximum(Some(max)).multiple_of(Some(0.001))
}

/// A stock on creation, where null means the default.
pub fn stock_or_null() -> RefOr<Schema> {
    number_or_string(measured(0, MAX_STOCK), &format!("{STOCK}; `null` ou ausente: o padrão"), true)
}

/// The counted stock of `PUT /api/products/{id}/stock`.
pub fn counted_stock() -> RefOr<Schema> {
    number_or_string(measured(0, MAX_STOCK), &format!("O estoque contado. {STOCK}"), true)
}

pub fn stock_adjustment() -> RefOr<Schema> {
    number_or_string(
        measured(-MAX_STOCK, MAX_STOCK),
        "Alternativa a `stock`: quanto somar (entrada) ou subtrair (perda), de -1.000.000.000 a 1.000.000.000 \
         (inteiro em UN, CX, ...; até três casas decimais em KG, L e M), sem deixar o estoque negativo nem acima de \
         1.000.000.000",
        true,
    )
}

/// A signed change of stock of `POST /api/stock/adjustments`.
pub fn signed_quantity() -> RefOr<Schema> {
    number_or_string(
        measured(-MAX_STOCK, MAX_STOCK),
        "Quanto somar (positivo) ou tirar (negativo): inteiro em UN, CX, ...; até três casas decimais em KG, L e M",
        false,
    )
}

/// The id of an object a body names (a category, a product).
pub fn id() -> RefOr<Schema> {
    number_or_string(whole(1, i64::MAX), "Id: inteiro maior que zero", false)
}

/// The id of an object a body may name; `null` or absent: none.
pub fn optional_id() -> RefOr<Schema> {
    number_or_string(whole(1, i64::MAX), "Id: inteiro maior que zero; `null` ou ausente: nenhum", true)
}

/// The store whose stock a change moves.
pub fn stock_store() -> RefOr<Schema> {
    number_or_string(
        whole(1, i64::MAX),
        "A loja cujo estoque muda; `null` ou ausente: a única loja aberta do usuário (com duas ou mais, 422 pede \
         que se informe)",
        true,
    )
}

/// A quantity of a product, more than zero.
pub fn quantity() -> RefOr<Schema> {
    let number = ObjectBuilder::new()
        .schema_type(Type::Number)
        .exclusive_minimum(Some(0))
        .maximum(Some(MAX_QUANTITY))
        .multiple_of(Some(0.001));
    number_or_string(
        number,
        "Quantidade, maior que zero e até 1.000.000.000: inteira em UN, CX, ...; até três casas decimais em KG, L e M",
        false,
    )
}

/// `start_date` and `end_date` of the sales' filters, as the server reads them.
pub fn period_bound() -> RefOr<Schema> {
    // Days that every year has (the server also takes 29 February in leap years).
    let day = "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))";
    let local = format!("^[0-9]{{4}}-{day}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{{1,9}})?)?$");
    let format =
        |format| ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(format)));
    AnyOfBuilder::new()
        .item(format(KnownFormat::Date))
        .item(format(KnownFormat::DateTime))
        .item(ObjectBuilder::new().schema_type(Type::String).pattern(Some(local)))
        .description(Some(
            "`AAAA-MM-DD` (o dia inteiro), `AAAA-MM-DDTHH:MM` (o que um `datetime-local` envia), com segundos e \
             frações, ou RFC 3339 com fuso. Sem fuso: no fuso do negócio.",
        ))
        .into()
}

/// Any text without NUL (the `code` filter).
pub fn code_filter() -> ObjectBuilder {
    text(NO_NUL, "Código exato (leitor de código de barras)")
}

/// What a scanner read: a barcode, an internal code or a scale label.
pub fn scanned_code() -> ObjectBuilder {
    text(
        format!("^[{WHITESPACE}]*[^{WHITESPACE}\\u0000][^\\u0000]*$"),
        "O que o leitor leu (código de barras, código interno ou etiqueta da balança): até 64 caracteres, sem \
         contar os espaços nas pontas",
    )
    .min_length(Some(1))
    .max_length(Some(64))
}

pub fn search() -> ObjectBuilder {
    text(
        search_pattern(),
        "Parte do nome ou do código, sem diferenciar maiúsculas nem acentos: até 200 caracteres, sem contar os \
         espaços nas pontas",
    )
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::domain::text;

    pub fn regex(pattern: &str) -> impl Fn(&str) -> bool + use<> {
        let regex = regex::Regex::new(pattern).unwrap();
        move |text| regex.is_match(text)
    }

    /// Each character of the Basic Multilingual Plane alone, twice, and around and between letters.
    pub fn candidates() -> impl Iterator<Item = String> {
        (0..=0xffff_u32).filter_map(char::from_u32).flat_map(|c| {
            [c.to_string(), format!("{c}{c}"), format!("a{c}b"), format!("{c}a"), format!("a{c}"), format!("{c}a{c}")]
        })
    }

    #[test]
    fn the_name_patterns_accept_exactly_what_the_name_rules_accept() {
        let (characters, length) = (regex(&name_characters_pattern()), regex(&trimmed_length_pattern(MAX_NAME_CHARS)));
        let name = |text: &str| characters(text) && length(text);
        let username = regex(&username_pattern());
        for candidate in candidates() {
            assert_eq!(name(&candidate), text::name(&candidate).is_ok(), "name {candidate:?}");
            assert_eq!(username(&candidate), text::username(&candidate).is_ok(), "username {candidate:?}");
        }
    }

    #[test]
    fn name_lengths_are_counted_without_the_spaces_at_both_ends() {
        let (characters, length) = (regex(&name_characters_pattern()), regex(&trimmed_length_pattern(MAX_NAME_CHARS)));
        let name = |text: &str| characters(text) && length(text);
        assert!(name(&"a".repeat(200)));
        assert!(!name(&"a".repeat(201)));
        assert!(name(&format!("  {}\u{3000}", "a".repeat(200))));
        assert!(!name(&format!("a{}a", " ".repeat(199))));
        let username = regex(&username_pattern());
        assert!(username(&format!(" {} ", "a".repeat(80))));
        assert!(!username(&"a".repeat(81)));
        assert!(username("Maria Silva"));
        assert!(!username("Maria\u{a0}Silva"));
        let search = regex(&search_pattern());
        assert!(search(&format!("\t {} \n", "é".repeat(200))));
        assert!(!search(&"a".repeat(201)));
        assert!(!search("a\u{0}"));
    }

    #[test]
    fn numeric_strings_are_the_decimals_the_server_parses() {
        let numeric = regex(&numeric_string());
        for accepted in ["12.50", " 3 ", "+1", "-2", "1e3", ".5", "5.", "1E-2", "\u{3000}7\n"] {
            assert!(numeric(accepted), "{accepted:?}");
            assert!(crate::domain::number::parse_scaled(accepted.trim(), 2, i64::MIN, i64::MAX).is_ok(), "{accepted}");
        }
        for refused in ["", ".", "1,5", "e3", "1e", "0x10", "١"] {
            assert!(!numeric(refused), "{refused:?}");
            assert!(crate::domain::number::parse_scaled(refused.trim(), 2, i64::MIN, i64::MAX).is_err(), "{refused}");
        }
    }
}
