//! Stock movements: every change of a product's stock is one movement with a reason, a signed
//! quantity, the balance it left and who made it. A product's stock is the sum of its
//! movements. (A store or location is the next key a movement will carry.)

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
}

impl MovementReason {
    pub const ALL: [MovementReason; 7] = [
        MovementReason::Initial,
        MovementReason::Sale,
        MovementReason::Adjustment,
        MovementReason::Count,
        MovementReason::Import,
        MovementReason::Cancellation,
        MovementReason::Return,
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
    /// The product's stock right after the movement.
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
}

/// A change of stock an administrator asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockChange {
    /// The stock was counted: it becomes this.
    CountedAs(i64),
    /// Add (or, negative, remove) this many units.
    Adjust(i64),
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
}
