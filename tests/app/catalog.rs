use sistema_vendas::app::{self, Error};
use sistema_vendas::domain::DomainError;
use sistema_vendas::domain::catalog::ProductChanges;
use sistema_vendas::domain::catalog::{Quantity, Unit};
use sistema_vendas::domain::inventory::{MovementReason, StockChange, StockCommand};
use sistema_vendas::domain::money::Money;
use sistema_vendas::domain::page::PageRequest;

use crate::Shop;

const PAGE: PageRequest = PageRequest { page: 1, per_page: 100 };

/// A change typed for a product sold in units.
fn units(change: StockChange) -> StockCommand {
    StockCommand { change, unit: Unit::Un, note: None, store_id: None }
}

#[tokio::test]
async fn a_counted_stock_records_the_difference_and_an_adjustment_its_amount() {
    let shop = Shop::open().await;
    let coffee = shop.product("Café", 1290, 10).await;
    let counted = app::inventory::change_stock(&shop.ctx, &shop.admin, coffee, units(StockChange::CountedAs(7))).await;
    assert_eq!(counted.unwrap().product.stock, 7);
    app::inventory::change_stock(&shop.ctx, &shop.admin, coffee, units(StockChange::Adjust(5))).await.unwrap();
    let (movements, total) = app::inventory::movements(&shop.ctx, &shop.admin, coffee, None, PAGE).await.unwrap();
    let seen: Vec<_> = movements.iter().map(|m| (m.reason, m.quantity, m.balance)).collect();
    assert_eq!(
        seen,
        [(MovementReason::Adjustment, 5, 12), (MovementReason::Count, -3, 7), (MovementReason::Initial, 10, 10)]
    );
    assert_eq!(total, 3);
}

#[tokio::test]
async fn stock_never_goes_below_zero_nor_above_the_limit() {
    let shop = Shop::open().await;
    let coffee = shop.product("Café", 1290, 3).await;
    let below = app::inventory::change_stock(&shop.ctx, &shop.admin, coffee, units(StockChange::Adjust(-4))).await;
    assert!(
        matches!(
            below,
            Err(Error::Refused(DomainError::AdjustmentBelowZero {
                available: Quantity { stored: 3, unit: Unit::Un },
                ..
            }))
        ),
        "{below:?}"
    );
    let above =
        app::inventory::change_stock(&shop.ctx, &shop.admin, coffee, units(StockChange::Adjust(1_000_000_000))).await;
    assert!(matches!(above, Err(Error::Refused(DomainError::StockAboveLimit { .. }))), "{above:?}");
    assert_eq!(shop.stock(coffee).await, 3);
}

#[tokio::test]
async fn an_update_changes_what_it_names_and_refuses_to_change_nothing() {
    let shop = Shop::open().await;
    let coffee = shop.product("Café", 1290, 3).await;
    let before = app::catalog::product(&shop.ctx, coffee, None).await.unwrap();
    let changes = ProductChanges { price: Some(Money::from_cents(1500)), ..ProductChanges::default() };
    let after = app::catalog::update_product(&shop.ctx, &shop.admin, coffee, changes).await.unwrap();
    assert_eq!((after.price.cents(), after.name.as_str(), after.stock), (1500, "Café", 3));
    let nothing = app::catalog::update_product(&shop.ctx, &shop.admin, coffee, ProductChanges::default()).await;
    assert!(matches!(nothing, Err(Error::Refused(DomainError::NothingToChange))), "{nothing:?}");
    assert!(after.updated_at >= before.updated_at);
}

#[tokio::test]
async fn codes_and_category_names_are_unique_and_categories_in_use_stay() {
    let shop = Shop::open().await;
    let coffee = shop.product("Café", 1290, 3).await;
    let tea = shop.product("Chá", 800, 3).await;
    let code = |code: &str| ProductChanges { code: Some(Some(code.into())), ..ProductChanges::default() };
    app::catalog::update_product(&shop.ctx, &shop.admin, coffee, code("789")).await.unwrap();
    let taken = app::catalog::update_product(&shop.ctx, &shop.admin, tea, code("789")).await;
    assert!(matches!(taken, Err(Error::Refused(DomainError::CodeTaken))), "{taken:?}");
    let exists = app::catalog::create_category(&shop.ctx, &shop.admin, "categoria de cafe").await;
    assert!(matches!(exists, Err(Error::Refused(DomainError::CategoryExists))), "{exists:?}");
    let category = app::catalog::product(&shop.ctx, coffee, None).await.unwrap().category_id.unwrap();
    let in_use = app::catalog::delete_category(&shop.ctx, &shop.admin, category).await;
    assert!(matches!(in_use, Err(Error::Refused(DomainError::CategoryInUse))), "{in_use:?}");
}

#[tokio::test]
async fn employees_cannot_change_the_catalog_or_the_stock() {
    let shop = Shop::open().await;
    let cashier = shop.employee("caixa").await;
    let coffee = shop.product("Café", 1290, 3).await;
    let changes = ProductChanges { price: Some(Money::from_cents(1)), ..ProductChanges::default() };
    let refusals = [
        app::catalog::update_product(&shop.ctx, &cashier, coffee, changes).await.err(),
        app::inventory::change_stock(&shop.ctx, &cashier, coffee, units(StockChange::Adjust(100))).await.err(),
        app::catalog::archive_product(&shop.ctx, &cashier, coffee).await.err(),
        app::catalog::create_category(&shop.ctx, &cashier, "Nova").await.err(),
    ];
    for refusal in refusals {
        assert!(matches!(refusal, Some(Error::Refused(DomainError::AdminOnly))), "{refusal:?}");
    }
    let product = app::catalog::product(&shop.ctx, coffee, None).await.unwrap();
    assert_eq!((product.price.cents(), product.stock), (1290, 3));
}
