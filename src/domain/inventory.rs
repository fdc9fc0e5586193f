//! Stock movements: every change of a product's stock is one movement with a reason, a signed
//! quantity, the balance it left and who made it. A product's stock is the sum of its
//! movements, in each store and in all of them.

use super::catalog::Unit;
use super::money::Money;
use super::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MovementReason {
    /// The stock a product was created with, or had when the ledger began.
    Initial,
    Sale,
    /// An amount added (received) or removed (lost, broken) by an administrator.
    Adjustment,
    /// A counted stock replaced the recorded one: the movement is the difference.
    Count,
    /// Brought in by an import whose source had no ledger.
    Import,
    /// The units of a cancelled sale, back.
    Cancellation,
    /// Units a customer brought back.
    Return,
    /// Goods received: with their unit cost and, optionally, supplier and invoice.
    Entry,
    /// Goods sent to another store (out), received from one (in), or back where they were sent
    /// from when the transfer was cancelled (in).
    Transfer,
}

impl MovementReason {
    pub const ALL: [MovementReason; 9] = [
        MovementReason::Initial,
        MovementReason::Sale,
        MovementReason::Adjustment,
        MovementReason::Count,
        MovementReason::Import,
        MovementReason::Cancellation,
        MovementReason::Return,
        MovementReason::Entry,
        MovementReason::Transfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MovementReason::Initial => "inicial",
            MovementReason::Sale => "venda",
            MovementReason::Adjustment => "ajuste",
            MovementReason::Count => "contagem",
            MovementReason::Import => "importacao",
            MovementReason::Cancellation => "cancelamento",
            MovementReason::Return => "devolucao",
            MovementReason::Entry => "entrada",
            MovementReason::Transfer => "transferencia",
        }
    }

    pub fn parse(text: &str) -> Option<MovementReason> {
        MovementReason::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub id: i64,
    pub product_id: i64,
    /// Units in (positive) or out (negative); never zero.
    pub quantity: i64,
    /// The stock of the product in the store right after the movement.
    pub balance: i64,
    pub reason: MovementReason,
    /// Who made it; None for the operator at the command line and for imports.
    pub user_id: Option<i64>,
    /// The sale that took the units (a sale), or whose units came back (a cancellation, a
    /// return).
    pub sale_id: Option<i64>,
    /// The return that brought the units back.
    pub return_id: Option<i64>,
    pub created_at: Timestamp,
    /// The unit of the product: `quantity` and `balance` are its integers.
    pub unit: Unit,
    /// Who made it, by name.
    pub username: Option<String>,
    /// An entry's cost of one unit, supplier and invoice.
    pub unit_cost: Option<Money>,
    pub supplier: Option<String>,
    pub invoice: Option<String>,
    /// Why an adjustment or a count was made.
    pub note: Option<String>,
    /// The store whose stock moved (`balance` is its stock after the movement).
    pub store_id: i64,
    pub store_name: Option<String>,
    /// The transfer that moved the units between stores.
    pub transfer_id: Option<i64>,
}

/// A change of stock an administrator asks for, in the product's stored integers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockChange {
    /// The stock was counted: it becomes this.
    CountedAs(i64),
    /// Add (or, negative, remove) this many.
    Adjust(i64),
    /// Goods received.
    Entry(Entry),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// More than zero.
    pub quantity: i64,
    /// Of one whole unit (a kilogram for KG).
    pub unit_cost: Money,
    pub supplier: Option<String>,
    pub invoice: Option<String>,
}

/// A change of stock with what it was typed for: the product's unit when the quantities were
/// read (a change is refused if the unit changed meanwhile) and why it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockCommand {
    pub change: StockChange,
    pub unit: Unit,
    pub note: Option<String>,
    /// The store whose stock changes (see `app::stores::stock_store`).
    pub store_id: Option<i64>,
}

/// Where goods sent between stores are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferStatus {
    /// Out of the origin, not yet in the destination.
    InTransit,
    Received,
    /// Back in the origin.
    Cancelled,
}

impl TransferStatus {
    pub const ALL: [TransferStatus; 3] =
        [TransferStatus::InTransit, TransferStatus::Received, TransferStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            TransferStatus::InTransit => "em_transito",
            TransferStatus::Received => "recebida",
            TransferStatus::Cancelled => "cancelada",
        }
    }

    pub fn parse(text: &str) -> Option<TransferStatus> {
        TransferStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Goods sent from one store to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub id: i64,
    pub from_store_id: i64,
    pub from_store_name: String,
    pub to_store_id: i64,
    pub to_store_name: String,
    pub status: TransferStatus,
    pub note: Option<String>,
    /// Who sent it.
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub created_at: Timestamp,
    /// Who received or cancelled it, and when.
    pub closed_by: Option<i64>,
    pub closed_at: Option<Timestamp>,
    pub items: Vec<TransferItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferItem {
    pub product_id: i64,
    pub product_name: String,
    pub unit: Unit,
    /// In the unit's integers.
    pub quantity: i64,
}

/// A transfer as asked for: each product once, quantities in thousandths as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTransfer {
    pub from_store_id: i64,
    pub to_store_id: i64,
    pub lines: Vec<(i64, i64)>,
    pub note: Option<String>,
}

pub const MAX_NOTE_CHARS: usize = 200;

/// The weighted average cost after an entry: what the units in stock cost (at the average, or
/// the cost price when there is no average yet, or the entry's cost when there is neither) and
/// what the entry's cost, over all of them, half up to the cent. Units below zero count as none.
pub fn average_after_entry(stock: i64, average: Option<Money>, entry_quantity: i64, unit_cost: Money) -> Money {
    let before = i128::from(stock.max(0));
    let quantity = i128::from(entry_quantity);
    let average = i128::from(average.unwrap_or(unit_cost).cents());
    let total = before + quantity;
    if total <= 0 {
        return unit_cost;
    }
    let value = before * average + quantity * i128::from(unit_cost.cents());
    Money::from_cents(((value + total / 2) / total) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_parse_from_their_codes() {
        for reason in MovementReason::ALL {
            assert_eq!(MovementReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(MovementReason::parse("furto"), None);
    }

    #[test]
    fn the_average_cost_weighs_the_stock_and_the_entry() {
        let m = Money::from_cents;
        // 10 at R$ 2,00 and 30 at R$ 3,00: R$ 2,75.
        assert_eq!(average_after_entry(10, Some(m(200)), 30, m(300)), m(275));
        // No stock: the entry's cost.
        assert_eq!(average_after_entry(0, Some(m(200)), 5, m(310)), m(310));
        // No average yet: the stock is valued at the entry's cost.
        assert_eq!(average_after_entry(7, None, 3, m(100)), m(100));
        // Half a cent rounds up: (1 × 1 + 1 × 2) / 2 = 1,5 cent.
        assert_eq!(average_after_entry(1, Some(m(1)), 1, m(2)), m(2));
        // 2,5 kg at R$ 10,00/kg and 0,5 kg at R$ 16,00/kg (grams): R$ 11,00/kg.
        assert_eq!(average_after_entry(2500, Some(m(1000)), 500, m(1600)), m(1100));
    }
}
