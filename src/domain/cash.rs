//! The cash register: a cashier's session at a terminal, from the opening float to the count at
//! closing, with the cash that went in and out of the drawer in between (sales paid in cash,
//! suprimentos, sangrias, cash refunds). What the drawer should hold is [`expected`]; the
//! difference between what was counted and that is kept as it was at closing.

use chrono::NaiveDate;

use super::error::DomainError;
use super::money::Money;
use super::sales::PaymentMethod;
use super::time::Timestamp;
use super::users::Actor;

/// The terminal of a session opened without naming one.
pub const DEFAULT_TERMINAL: &str = "PDV";
/// The longest terminal name, and the longest reason of a movement.
pub const MAX_TERMINAL_CHARS: usize = 40;
pub const MAX_REASON_CHARS: usize = 200;

/// Cash put into the drawer (suprimento) or taken out of it (sangria) outside a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MovementKind {
    Suprimento,
    Sangria,
}

impl MovementKind {
    pub const ALL: [MovementKind; 2] = [MovementKind::Suprimento, MovementKind::Sangria];

    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Suprimento => "suprimento",
            MovementKind::Sangria => "sangria",
        }
    }

    pub fn parse(text: &str) -> Option<MovementKind> {
        MovementKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// How a session ended: who closed it, what was counted, and what the drawer should have held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    pub at: Timestamp,
    pub by: Option<i64>,
    pub by_username: Option<String>,
    pub counted: Money,
    pub expected: Money,
    /// `counted - expected`: negative when cash is missing.
    pub difference: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashSession {
    pub id: i64,
    /// The operator: whose drawer it is.
    pub user_id: i64,
    pub user_username: String,
    pub terminal: String,
    pub store_id: i64,
    /// The registered terminal it was opened at, if any.
    pub terminal_id: Option<i64>,
    pub opening_float: Money,
    pub opened_at: Timestamp,
    /// None while the session is open.
    pub closing: Option<Closing>,
}

impl CashSession {
    pub fn is_open(&self) -> bool {
        self.closing.is_none()
    }

    /// Only the session's operator and administrators may read or change it.
    pub fn check_access(&self, actor: &Actor) -> Result<(), DomainError> {
        if actor.is_admin() || actor.user_id() == Some(self.user_id) {
            Ok(())
        } else {
            Err(DomainError::NotYourCashSession)
        }
    }

    /// What the drawer should hold: as counted at closing, or as of now while open.
    pub fn expected(&self, activity: &Activity) -> Money {
        match &self.closing {
            Some(closing) => closing.expected,
            None => expected(self.opening_float, activity),
        }
    }
}

/// A session as an actor may see it. The count is blind: while a session is open, only an
/// administrator sees what the drawer should hold; once closed, everyone who may read it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    pub session: CashSession,
    pub expected: Option<Money>,
}

impl SessionView {
    pub fn new(session: CashSession, actor: &Actor, activity: Option<&Activity>) -> SessionView {
        let expected = match (&session.closing, activity) {
            (Some(closing), _) => Some(closing.expected),
            (None, Some(activity)) if actor.is_admin() => Some(expected(session.opening_float, activity)),
            (None, _) => None,
        };
        SessionView { session, expected }
    }

    /// Whether reading an actor's view of a session needs its activity (to show the expected).
    pub fn needs_activity(session: &CashSession, actor: &Actor) -> bool {
        session.is_open() && actor.is_admin()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCashSession {
    /// The terminal's name as typed; None: the registered terminal's, or [`DEFAULT_TERMINAL`].
    pub terminal: Option<String>,
    pub opening_float: Money,
    /// The store the request names (None: the terminal's, or the operator's only store).
    pub store_id: Option<i64>,
    pub terminal_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMovement {
    pub kind: MovementKind,
    pub amount: Money,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashMovement {
    pub id: i64,
    pub session_id: i64,
    pub kind: MovementKind,
    pub amount: Money,
    pub reason: Option<String>,
    /// Who recorded it (the operator, or an administrator).
    pub user_id: i64,
    pub user_username: String,
    pub created_at: Timestamp,
}

/// Cash handed back to a customer by a return made while the session was open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashRefund {
    pub return_id: i64,
    pub sale_id: i64,
    pub amount: Money,
    pub user_id: i64,
    pub user_username: String,
    pub created_at: Timestamp,
}

/// The sales of a session paid (partly) with one method: how many, and how much they paid
/// with it (for cash: what was received minus the change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodTotal {
    pub method: PaymentMethod,
    pub count: i64,
    pub amount: Money,
}

/// What went on in a session: its sales (those that stand) by payment method, and the cash
/// that went in and out of the drawer without a sale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    /// Sales that stand (not cancelled).
    pub sales_count: i64,
    pub cancelled_count: i64,
    /// In the order of [`PaymentMethod::ALL`], only the methods used.
    pub payments: Vec<MethodTotal>,
    pub suprimentos: Money,
    pub sangrias: Money,
    /// Returns refunded in cash from this session's drawer.
    pub cash_refunds: Money,
}

impl Activity {
    /// The cash the session's sales left in the drawer: received minus change.
    pub fn cash_sales(&self) -> Money {
        self.payments.iter().filter(|p| p.method == PaymentMethod::Dinheiro).map(|p| p.amount).sum()
    }
}

/// What the drawer should hold: the opening float, plus the cash the sales left (received
/// minus change), plus suprimentos, minus sangrias, minus cash refunds.
pub fn expected(opening_float: Money, activity: &Activity) -> Money {
    opening_float + activity.cash_sales() + activity.suprimentos - activity.sangrias - activity.cash_refunds
}

/// A sangria cannot take more than the drawer should hold at that moment.
pub fn check_withdrawal(expected: Money, amount: Money) -> Result<(), DomainError> {
    if amount > expected {
        return Err(DomainError::WithdrawalAboveCash { available: expected.max(Money::ZERO) });
    }
    Ok(())
}

/// Which sessions a listing shows: opened in the half-open period `[from, until)`, of an operator.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CashSessionsFilter {
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub user_id: Option<i64>,
    pub store_id: Option<i64>,
}

/// A session with what went on in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionReport {
    pub view: SessionView,
    pub activity: Activity,
    pub movements: Vec<CashMovement>,
    pub refunds: Vec<CashRefund>,
}

/// Sums over some sessions. `counted` and `difference` are those of the closed sessions;
/// `expected` adds the closed sessions' (as at closing) and the open ones' (as of now).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub sessions_count: i64,
    pub open_count: i64,
    pub opening_float: Money,
    pub sales_count: i64,
    pub cancelled_count: i64,
    pub payments: Vec<MethodTotal>,
    pub suprimentos: Money,
    pub sangrias: Money,
    pub cash_refunds: Money,
    pub expected: Money,
    pub counted: Money,
    pub difference: Money,
}

impl Totals {
    pub fn add(&mut self, session: &CashSession, activity: &Activity) {
        self.sessions_count += 1;
        self.opening_float = self.opening_float + session.opening_float;
        self.sales_count += activity.sales_count;
        self.cancelled_count += activity.cancelled_count;
        for line in &activity.payments {
            match self.payments.iter_mut().find(|p| p.method == line.method) {
                Some(total) => {
                    total.count += line.count;
                    total.amount = total.amount + line.amount;
                }
                None => self.payments.push(*line),
            }
        }
        self.payments.sort_by_key(|p| PaymentMethod::ALL.iter().position(|m| *m == p.method));
        self.suprimentos = self.suprimentos + activity.suprimentos;
        self.sangrias = self.sangrias + activity.sangrias;
        self.cash_refunds = self.cash_refunds + activity.cash_refunds;
        self.expected = self.expected + session.expected(activity);
        match &session.closing {
            Some(closing) => {
                self.counted = self.counted + closing.counted;
                self.difference = self.difference + closing.difference;
            }
            None => self.open_count += 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorTotals {
    pub user_id: i64,
    pub user_username: String,
    pub totals: Totals,
}

/// The sessions opened on a day, per operator (by name) and in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayReport {
    pub date: NaiveDate,
    pub operators: Vec<OperatorTotals>,
    pub totals: Totals,
}

pub fn day_report(date: NaiveDate, sessions: &[(CashSession, Activity)]) -> DayReport {
    let mut operators: Vec<OperatorTotals> = Vec::new();
    let mut totals = Totals::default();
    for (session, activity) in sessions {
        totals.add(session, activity);
        let index = match operators.iter().position(|o| o.user_id == session.user_id) {
            Some(index) => index,
            None => {
                operators.push(OperatorTotals {
                    user_id: session.user_id,
                    user_username: session.user_username.clone(),
                    totals: Totals::default(),
                });
                operators.len() - 1
            }
        };
        operators[index].totals.add(session, activity);
    }
    operators.sort_by(|a, b| a.user_username.cmp(&b.user_username).then(a.user_id.cmp(&b.user_id)));
    DayReport { date, operators, totals }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::users::Role;

    fn reais(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    fn session(user_id: i64, float: i64, closing: Option<(i64, i64)>) -> CashSession {
        CashSession {
            id: 1,
            user_id,
            user_username: format!("user{user_id}"),
            terminal: DEFAULT_TERMINAL.into(),
            store_id: 1,
            terminal_id: None,
            opening_float: reais(float),
            opened_at: Timestamp::from_micros(0),
            closing: closing.map(|(counted, expected)| Closing {
                at: Timestamp::from_micros(1),
                by: Some(user_id),
                by_username: None,
                counted: reais(counted),
                expected: reais(expected),
                difference: reais(counted - expected),
            }),
        }
    }

    fn activity() -> Activity {
        Activity {
            sales_count: 3,
            cancelled_count: 1,
            payments: vec![
                MethodTotal { method: PaymentMethod::Dinheiro, count: 2, amount: reais(6250) },
                MethodTotal { method: PaymentMethod::Credito, count: 1, amount: reais(9990) },
            ],
            suprimentos: reais(2000),
            sangrias: reais(5000),
            cash_refunds: reais(1000),
        }
    }

    fn user(id: i64, role: Role) -> Actor {
        Actor::User { id, username: format!("user{id}"), role }
    }

    #[test]
    fn expected_cash_is_the_float_plus_cash_in_minus_cash_out() {
        // 100,00 + 62,50 (cash received minus change) + 20,00 - 50,00 - 10,00; the card sale
        // is not in the drawer.
        assert_eq!(expected(reais(10000), &activity()), reais(12250));
        assert_eq!(expected(reais(0), &Activity::default()), Money::ZERO);
    }

    #[test]
    fn a_sangria_may_take_at_most_the_expected_cash() {
        assert_eq!(check_withdrawal(reais(5000), reais(5000)), Ok(()));
        assert_eq!(
            check_withdrawal(reais(5000), reais(5001)),
            Err(DomainError::WithdrawalAboveCash { available: reais(5000) })
        );
        assert_eq!(
            check_withdrawal(reais(-300), reais(1)),
            Err(DomainError::WithdrawalAboveCash { available: Money::ZERO })
        );
    }

    #[test]
    fn the_count_is_blind_for_employees_while_the_session_is_open() {
        let (employee, admin) = (user(7, Role::Funcionario), user(1, Role::Admin));
        let open = session(7, 10000, None);
        assert_eq!(SessionView::new(open.clone(), &employee, Some(&activity())).expected, None);
        assert_eq!(SessionView::new(open.clone(), &admin, Some(&activity())).expected, Some(reais(12250)));
        assert!(SessionView::needs_activity(&open, &admin) && !SessionView::needs_activity(&open, &employee));
        let closed = session(7, 10000, Some((12000, 12250)));
        assert_eq!(SessionView::new(closed, &employee, None).expected, Some(reais(12250)));
    }

    #[test]
    fn only_the_operator_and_administrators_touch_a_session() {
        let s = session(7, 0, None);
        assert_eq!(s.check_access(&user(7, Role::Funcionario)), Ok(()));
        assert_eq!(s.check_access(&user(1, Role::Admin)), Ok(()));
        assert_eq!(s.check_access(&Actor::Operator), Ok(()));
        assert_eq!(s.check_access(&user(8, Role::Funcionario)), Err(DomainError::NotYourCashSession));
    }

    #[test]
    fn movement_kinds_are_the_two_codes() {
        assert_eq!(MovementKind::parse("sangria"), Some(MovementKind::Sangria));
        assert_eq!(MovementKind::parse("suprimento"), Some(MovementKind::Suprimento));
        assert_eq!(MovementKind::parse("Sangria"), None);
        assert_eq!(MovementKind::parse("troco"), None);
    }

    #[test]
    fn a_day_adds_up_per_operator_and_in_all() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let quiet = Activity {
            sales_count: 1,
            payments: vec![MethodTotal { method: PaymentMethod::Pix, count: 1, amount: reais(500) }],
            ..Activity::default()
        };
        let sessions = vec![
            // user 2 closed a session 2,50 short, and has one open.
            (session(2, 10000, Some((12000, 12250))), activity()),
            (session(2, 5000, None), quiet.clone()),
            (session(1, 0, Some((0, 0))), quiet),
        ];
        let report = day_report(date, &sessions);
        assert_eq!(report.operators.iter().map(|o| o.user_id).collect::<Vec<_>>(), [1, 2]);
        let two = &report.operators[1].totals;
        assert_eq!((two.sessions_count, two.open_count, two.sales_count), (2, 1, 4));
        assert_eq!(two.opening_float, reais(15000));
        assert_eq!(two.expected, reais(12250 + 5000));
        assert_eq!((two.counted, two.difference), (reais(12000), reais(-250)));
        let methods: Vec<_> = report.totals.payments.iter().map(|p| (p.method, p.count, p.amount)).collect();
        assert_eq!(
            methods,
            [
                (PaymentMethod::Dinheiro, 2, reais(6250)),
                (PaymentMethod::Credito, 1, reais(9990)),
                (PaymentMethod::Pix, 2, reais(1000)),
            ]
        );
        assert_eq!((report.totals.sessions_count, report.totals.open_count), (3, 1));
        assert_eq!(report.totals.difference, reais(-250));
    }
}
