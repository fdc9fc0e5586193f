//! What the rules of the shop refuse, as typed values. Each edge decides how to show them (the
//! HTTP layer picks the status code and adds details such as the product of a line); the
//! message, in Portuguese as the first version wrote it, is the one place every edge reads it
//! from.

use super::catalog::{MAX_BARCODES, MAX_STOCK, Quantity};
use super::documents::DocumentError;
use super::money::{Money, brl};
use super::photo::PhotoError;
use super::pix::PixError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    // Who may do what.
    #[error("Acesso negado. Apenas administradores podem realizar esta ação")]
    AdminOnly,
    /// An employee asked for a sale made by someone else.
    #[error("Acesso negado")]
    NotYourSale,
    /// The operator at the command line is not a seller.
    #[error("Só um usuário pode vender")]
    NotASeller,
    /// An employee asked for, or tried to change, another operator's cash session.
    #[error("Acesso negado: o caixa é de outro operador")]
    NotYourCashSession,

    // Things that are not there.
    #[error("Produto não encontrado")]
    ProductNotFound,
    #[error("Categoria não encontrada")]
    CategoryNotFound,
    #[error("Usuário não encontrado")]
    UserNotFound,
    #[error("Venda não encontrada")]
    SaleNotFound,
    #[error("Cliente não encontrado")]
    CustomerNotFound,
    #[error("Loja não encontrada")]
    StoreNotFound,
    #[error("Terminal não encontrado")]
    TerminalNotFound,
    #[error("Transferência não encontrada")]
    TransferNotFound,

    // Stores.
    #[error("Já existe uma loja com este nome")]
    StoreNameTaken,
    #[error("Já existe um terminal com este nome nesta loja")]
    TerminalNameTaken,
    #[error("A loja {name} está desativada: nada novo é vendido ou aberto nela")]
    StoreArchived { name: String },
    /// An employee tried to sell, or open a cash session, in a store they do not work in.
    #[error("Você não trabalha na loja {name}: peça a um administrador para incluí-lo nela")]
    NotYourStore { name: String },
    /// A sale or a cash session whose store cannot be told from the request or the user.
    #[error("Informe a loja (store_id): você trabalha em mais de uma")]
    StoreRequired,
    /// A sale names a store other than its cash session's.
    #[error("O caixa {session_id} é da loja {store}, não da loja desta venda")]
    CashSessionOfOtherStore { session_id: i64, store: String },
    #[error("O terminal {name} está desativado")]
    TerminalArchived { name: String },
    #[error("O terminal {name} é de outra loja")]
    TerminalOfOtherStore { name: String },
    #[error("Um funcionário precisa de ao menos uma loja")]
    EmployeeWithoutStore,
    #[error("Pelo menos uma loja precisa continuar ativa")]
    LastStore,
    #[error("A loja de origem e a de destino devem ser diferentes")]
    TransferToSameStore,
    /// A transfer received or cancelled already.
    #[error("A transferência não está mais em trânsito: foi {status}")]
    TransferClosed { status: &'static str },

    // Selling.
    /// A line names a product that does not exist (or was archived).
    #[error("Produto com ID {product_id} não encontrado")]
    UnknownProduct { product_id: i64 },
    #[error("Estoque insuficiente para o produto {name}. Disponível: {available}")]
    OutOfStock { product_id: i64, name: String, available: Quantity },
    /// A fraction of a product sold in whole units.
    #[error("Quantidade deve ser um número inteiro")]
    WholeUnitsOnly { product_id: i64 },
    #[error("Produto {name} está inativo e não pode ser vendido")]
    ProductInactive { product_id: i64, name: String },
    #[error("Quantidade acima do limite permitido")]
    QuantityTooLarge,
    #[error("Valor total da venda acima do limite permitido (R$ 10.000.000,00)")]
    TotalTooLarge,
    /// The same idempotency key came with a different request (other lines or payment).
    #[error(
        "Idempotency-Key já usada para outra venda (itens ou pagamento diferentes); use uma chave nova para uma \
         venda nova"
    )]
    IdempotencyKeyReused,
    /// The sale of a `client_id` was recorded by a request that committed first (answered with
    /// that sale, never shown).
    #[error("Venda já registrada com este client_id")]
    ClientIdRecorded,
    #[error("Esta venda não tem nada a revisar")]
    NothingToReview,
    #[error("Esta venda já foi revisada")]
    AlreadyReviewed,
    /// A `client_id` already names a sale of another seller.
    #[error("client_id já identifica uma venda de outro vendedor")]
    ClientIdTaken,
    /// An employee sent a sale made offline by someone else.
    #[error("Um funcionário só envia as próprias vendas: entre como o vendedor da venda ou como administrador")]
    NotYourSaleToSend,
    #[error("sold_at está no futuro: confira o relógio do terminal")]
    SoldInTheFuture,
    #[error("Venda feita há mais de {max_hours} horas: o limite das configurações não a aceita mais")]
    SoldTooLongAgo { max_hours: i64 },
    /// A sale made offline names a cash session of another user.
    #[error("O caixa {session_id} não é do vendedor desta venda")]
    CashSessionOfAnother { session_id: i64 },
    /// The price a terminal showed is not one the product had in the period a sale may be sent in.
    #[error("O preço {} de {name} não consta no histórico de preços do produto", brl(price.cents()))]
    PriceNotInHistory { product_id: i64, name: String, price: Money },

    // Discounts and payments.
    #[error("Desconto maior que o valor a que se aplica")]
    DiscountAboveAmount,
    #[error("O produto {product_id} aparece em mais de uma linha e uma delas tem desconto: junte as linhas")]
    RepeatedDiscountedLine { product_id: i64 },
    #[error("O produto {product_id} aparece em mais de uma linha com preços diferentes: junte as linhas")]
    RepeatedPricedLine { product_id: i64 },
    #[error(
        "Desconto acima do limite de {}% para funcionários: é preciso a aprovação de um administrador",
        percent(*limit_bp)
    )]
    DiscountNeedsApproval { limit_bp: i64 },
    #[error("Aprovação recusada: usuário ou senha de administrador inválidos")]
    ApprovalRefused,
    #[error("Os pagamentos somam {}, mas o total é {}", brl(paid.cents()), brl(total.cents()))]
    PaymentsShort { paid: Money, total: Money },
    #[error("Pagamentos acima do total: só o dinheiro pode passar do total (a diferença é o troco)")]
    PaymentsAboveTotal,
    #[error("Valor recebido (tendered) só existe para pagamento em dinheiro")]
    TenderedNotCash,
    #[error("Valor recebido menor que o valor pago em dinheiro")]
    TenderedBelowAmount,
    #[error("payment_method não confere com os pagamentos informados")]
    PaymentMethodMismatch,
    #[error("Abra o caixa antes de vender")]
    CashSessionRequired,

    // Cancellations and returns.
    #[error("Venda já cancelada")]
    SaleAlreadyCancelled,
    #[error("Venda cancelada não aceita devolução")]
    ReturnOfCancelledSale,
    #[error("Item {sale_item_id} não pertence a esta venda")]
    ItemNotInSale { sale_item_id: i64 },
    #[error("Devolução acima do vendido no item {sale_item_id}. Disponível para devolver: {available}")]
    ReturnAboveSold { sale_item_id: i64, available: Quantity },

    // Settings, PIX and the printer.
    #[error(transparent)]
    Pix(#[from] PixError),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error("{field} deve ter no máximo {max} caracteres")]
    SettingTooLong { field: &'static str, max: usize },
    #[error("Configure a chave PIX, o nome e a cidade do recebedor nas configurações")]
    PixNotConfigured,
    #[error("Nenhuma impressora configurada: informe o endereço dela nas configurações")]
    PrinterNotConfigured,
    /// The printer's address is not one (its message says what to type).
    #[error("{0}")]
    PrinterAddress(String),
    /// The printer could not be reached or stopped answering.
    #[error("{0}")]
    PrinterFailed(String),

    // Product photos.
    #[error(transparent)]
    Photo(#[from] PhotoError),

    // The cash register.
    #[error("Caixa não encontrado")]
    CashSessionNotFound,
    #[error("Já existe um caixa aberto para este operador")]
    CashSessionAlreadyOpen,
    #[error("Nenhum caixa aberto para este operador")]
    NoOpenCashSession,
    #[error("Caixa já fechado")]
    CashSessionClosed,
    #[error("Sangria maior que o dinheiro esperado no caixa ({})", brl(available.cents()))]
    WithdrawalAboveCash { available: Money },

    // Stock.
    #[error("Estoque insuficiente para o ajuste. Disponível: {available}")]
    AdjustmentBelowZero { product_id: i64, available: Quantity },
    #[error("Estoque acima do limite permitido (1.000.000.000)")]
    StockAboveLimit { product_id: i64, available: Quantity },
    #[error("A contagem é igual ao estoque atual: nada a registrar")]
    CountUnchanged,

    /// A line of a catalog import that the catalog refuses; nothing of the file was imported.
    #[error("Linha {line}, coluna {column}: {error}. Nada foi importado")]
    ImportLine { line: usize, column: &'static str, error: Box<DomainError> },

    /// An update that names no field it could change.
    #[error("Nenhum campo para alterar")]
    NothingToChange,

    // The catalog.
    #[error("Código já cadastrado em outro produto")]
    CodeTaken,
    #[error("Código de barras inválido: {barcode} (EAN-8, EAN-13, UPC-A ou GTIN-14, com o dígito verificador)")]
    InvalidBarcode { barcode: String },
    #[error("Código de barras {barcode} repetido no mesmo produto")]
    BarcodeRepeated { barcode: String },
    #[error("No máximo {MAX_BARCODES} códigos de barras por produto")]
    TooManyBarcodes,
    #[error("Código de barras já cadastrado em outro produto ativo")]
    BarcodeTaken,
    #[error("A unidade de um produto com movimentos de estoque só muda entre unidades inteiras, ou entre KG, L e M")]
    UnitChangeWithHistory,
    /// A stock change typed for one unit reached a product now sold in another.
    #[error("A unidade do produto mudou enquanto a alteração era digitada: confira e envie de novo")]
    UnitChanged,
    #[error("Nenhum produto com o código {code}")]
    UnknownCode { code: String },
    #[error(
        "Máscara da etiqueta da balança inválida: 13 caracteres, começando por 2 e terminando em D, com C (código \
         do produto), V (valor), X (ignorado) ou dígitos fixos"
    )]
    InvalidLabelMask,
    #[error("Etiqueta da balança com dígito verificador errado: {label}")]
    InvalidLabel { label: String },
    #[error("Etiqueta da balança com o código {plu}, que não é de nenhum produto ativo")]
    UnknownScaleProduct { plu: String },
    #[error("A etiqueta traz o peso, mas {name} não é vendido por peso ou medida (KG, L ou M)")]
    WeightLabelOfWholeUnits { name: String },
    #[error("Categoria já existe")]
    CategoryExists,
    /// Another customer has this CPF or CNPJ.
    #[error("Já existe um cliente com este CPF/CNPJ")]
    DocumentTaken,
    #[error("Nome da categoria já existe")]
    CategoryNameTaken,
    #[error("Não é possível deletar categoria com produtos associados")]
    CategoryInUse,

    // Users.
    #[error("Usuário já existe")]
    UserExists,
    #[error("Username já existe")]
    UsernameTaken,
    #[error("Não é possível remover o último administrador ativo")]
    LastAdmin,
    #[error("Não é possível desativar o próprio usuário")]
    CannotDeactivateSelf,
    #[error("Não é possível deletar o próprio usuário")]
    CannotDeleteSelf,
    #[error("Senha deve ter pelo menos 6 caracteres")]
    PasswordTooShort,
    #[error("Senha deve ter no máximo 72 bytes")]
    PasswordTooLong,
    #[error("Username e password são obrigatórios")]
    UsernameRequired,
    #[error("Username deve ter no máximo 80 caracteres")]
    UsernameTooLong,
    #[error("Username contém caracteres inválidos")]
    UsernameInvalid,

    // Sessions.
    /// No user has that name (answered exactly as a wrong password).
    #[error("Credenciais inválidas")]
    UnknownUsername,
    #[error("Credenciais inválidas")]
    WrongPassword { user_id: i64 },
    #[error("Usuário desativado. Procure o administrador")]
    UserDeactivated,
    #[error("Senha atual incorreta")]
    WrongCurrentPassword,
    #[error("Sessão encerrada. Faça login novamente")]
    SessionEnded,
}

const _: () = assert!(MAX_STOCK == 1_000_000_000, "a mensagem de StockAboveLimit cita o limite");

/// `1250` hundredths of a percent as people write it: `12,5`.
pub fn percent(bp: i64) -> String {
    let (units, hundredths) = (bp / 100, bp % 100);
    match hundredths {
        0 => units.to_string(),
        h if h % 10 == 0 => format!("{units},{}", h / 10),
        h => format!("{units},{h:02}"),
    }
}
