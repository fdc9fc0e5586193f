use sistema_vendas::app::{self, Error};
use sistema_vendas::domain::DomainError;
use sistema_vendas::domain::catalog::Quantity;
use sistema_vendas::domain::page::PageRequest;
use sistema_vendas::domain::sales::{NewSale, PaymentMethod, SaleLine, SalesFilter};
use sistema_vendas::domain::users::Actor;

use crate::Shop;

fn sale(lines: &[(i64, i64)], key: Option<&str>) -> NewSale {
    let lines = lines.iter().map(|&(product_id, quantity)| SaleLine::new(product_id, quantity * 1000, None)).collect();
    NewSale::new(lines, Some(PaymentMethod::Pix), key.map(str::to_string)).unwrap()
}

const PAGE: PageRequest = PageRequest { page: 1, per_page: 100 };

#[tokio::test]
async fn a_sale_takes_the_stock_records_its_movements_and_counts_in_the_summary() {
    let shop = Shop::open().await;
    let cashier = shop.employee("caixa").await;
    let (coffee, sugar) = (shop.product("Café", 1290, 10).await, shop.product("Açúcar", 450, 4).await);
    let sold = app::sales::sell(&shop.ctx, &cashier, sale(&[(coffee, 2), (sugar, 4)], None)).await.unwrap();
    assert!(!sold.replayed);
    assert_eq!(sold.sale.total_amount.cents(), 2 * 1290 + 4 * 450);
    assert_eq!(sold.sale.items.iter().map(|i| i.product_id).collect::<Vec<_>>(), [coffee, sugar]);
    assert_eq!((shop.stock(coffee).await, shop.stock(sugar).await), (8, 0));

    let (movements, _) = app::inventory::movements(&shop.ctx, &shop.admin, sugar, None, PAGE).await.unwrap();
    assert_eq!((movements[0].quantity, movements[0].balance, movements[0].sale_id), (-4, 0, Some(sold.sale.id)));
    assert_eq!(movements[0].user_id, cashier.user_id());
    let summary = app::sales::summary(&shop.ctx, &shop.admin, None).await.unwrap();
    assert_eq!((summary.today_count, summary.today_sales), (1, sold.sale.total_amount));
}

#[tokio::test]
async fn a_sale_that_cannot_be_served_writes_nothing() {
    let shop = Shop::open().await;
    let (coffee, sugar) = (shop.product("Café", 1290, 10).await, shop.product("Açúcar", 450, 1).await);
    let refused = app::sales::sell(&shop.ctx, &shop.admin, sale(&[(coffee, 2), (sugar, 2)], None)).await;
    let Err(Error::Refused(DomainError::OutOfStock { product_id, available, .. })) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!((product_id, available), (sugar, Quantity::units(1)));
    let unknown = app::sales::sell(&shop.ctx, &shop.admin, sale(&[(coffee, 1), (999, 1)], None)).await;
    assert!(matches!(unknown, Err(Error::Refused(DomainError::UnknownProduct { product_id: 999 }))), "{unknown:?}");
    assert_eq!((shop.stock(coffee).await, shop.stock(sugar).await), (10, 1));
    let listing = app::sales::list(&shop.ctx, &shop.admin, SalesFilter::default(), PAGE).await.unwrap();
    assert_eq!(listing.count, 0);
    let (movements, _) = app::inventory::movements(&shop.ctx, &shop.admin, coffee, None, PAGE).await.unwrap();
    assert_eq!(movements.len(), 1, "só o estoque inicial");
}

#[tokio::test]
async fn an_idempotency_key_answers_with_its_sale_and_refuses_a_different_cart() {
    let shop = Shop::open().await;
    let coffee = shop.product("Café", 1290, 10).await;
    let first = app::sales::sell(&shop.ctx, &shop.admin, sale(&[(coffee, 2)], Some("k-1"))).await.unwrap();
    let again = app::sales::sell(&shop.ctx, &shop.admin, sale(&[(coffee, 2)], Some("k-1"))).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.sale.id, first.sale.id);
    let other = app::sales::sell(&shop.ctx, &shop.admin, sale(&[(coffee, 3)], Some("k-1"))).await;
    assert!(matches!(other, Err(Error::Refused(DomainError::IdempotencyKeyReused))), "{other:?}");
    assert_eq!(shop.stock(coffee).await, 8, "uma venda só");
}

#[tokio::test]
async fn an_expired_idempotency_key_makes_a_new_sale() {
    let shop = Shop::open().await;
    let coffee = shop.product("Café", 1290, 10).await;
    let first = app::sales::sell(&shop.ctx, &shop.admin, sale(&[(coffee, 1)], Some("k-2"))).await.unwrap();
    let day_and_a_bit = 25 * 3600 * 1_000_000_i64;
    sqlx::query("UPDATE sales SET created_at = created_at - $1 WHERE id = $2")
        .bind(day_and_a_bit)
        .bind(first.sale.id)
        .execute(&shop.ctx.db.write)
        .await
        .unwrap();
    let later = app::sales::sell(&shop.ctx, &shop.admin, sale(&[(coffee, 3)], Some("k-2"))).await.unwrap();
    assert!(!later.replayed);
    assert_ne!(later.sale.id, first.sale.id);
    assert_eq!(shop.stock(coffee).await, 6);
}

#[tokio::test]
async fn employees_see_only_their_own_sales_and_no_summary() {
    let shop = Shop::open().await;
    let (ana, bia) = (shop.employee("ana").await, shop.employee("bia").await);
    let coffee = shop.product("Café", 1290, 10).await;
    let of_ana = app::sales::sell(&shop.ctx, &ana, sale(&[(coffee, 1)], None)).await.unwrap().sale;
    app::sales::sell(&shop.ctx, &bia, sale(&[(coffee, 1)], None)).await.unwrap();
    let asked_for_all = SalesFilter { user_id: None, ..SalesFilter::default() };
    let listing = app::sales::list(&shop.ctx, &ana, asked_for_all, PAGE).await.unwrap();
    assert_eq!(listing.sales.iter().map(|s| s.id).collect::<Vec<_>>(), [of_ana.id]);
    let denied = app::sales::get(&shop.ctx, &bia, of_ana.id).await;
    assert!(matches!(denied, Err(Error::Refused(DomainError::NotYourSale))), "{denied:?}");
    let summary = app::sales::summary(&shop.ctx, &ana, None).await;
    assert!(matches!(summary, Err(Error::Refused(DomainError::AdminOnly))), "{summary:?}");
}

#[tokio::test]
async fn the_operator_at_the_command_line_is_no_seller() {
    let shop = Shop::open().await;
    let coffee = shop.product("Café", 1290, 10).await;
    let refused = app::sales::sell(&shop.ctx, &Actor::Operator, sale(&[(coffee, 1)], None)).await;
    assert!(matches!(refused, Err(Error::Refused(DomainError::NotASeller))), "{refused:?}");
    assert_eq!(shop.stock(coffee).await, 10);
}

#[tokio::test]
async fn a_cancellation_after_a_return_brings_back_only_what_was_not_returned() {
    use sistema_vendas::domain::sales::{NewReturn, SaleStatus};
    let shop = Shop::open().await;
    let coffee = shop.product("Café", 1000, 10).await;
    let sold = app::sales::sell(&shop.ctx, &shop.admin, sale(&[(coffee, 4)], None)).await.unwrap().sale;
    // One unit, in thousandths as a client types it.
    let request =
        NewReturn { items: vec![(sold.items[0].id, 1000)], reason: "Troca".into(), refund_method: PaymentMethod::Pix };
    let returned = app::sales::return_items(&shop.ctx, &shop.admin, sold.id, request).await.unwrap();
    assert_eq!(returned.refunded.cents(), 1000);
    assert_eq!(shop.stock(coffee).await, 7);
    let cancelled = app::sales::cancel(&shop.ctx, &shop.admin, sold.id, "Erro de digitação").await.unwrap();
    assert_eq!(cancelled.status, SaleStatus::Cancelled);
    assert_eq!(shop.stock(coffee).await, 10);
    let summary = app::sales::summary(&shop.ctx, &shop.admin, None).await.unwrap();
    assert_eq!((summary.today_count, summary.today_sales.cents()), (0, 0));
    let again = app::sales::cancel(&shop.ctx, &shop.admin, sold.id, "De novo").await;
    assert!(matches!(again, Err(Error::Refused(DomainError::SaleAlreadyCancelled))), "{again:?}");
    let cashier = shop.employee("caixa").await;
    let refused = app::sales::cancel(&shop.ctx, &cashier, sold.id, "x").await;
    assert!(matches!(refused, Err(Error::Refused(DomainError::AdminOnly))), "{refused:?}");
}
