//! The use cases (`sistema_vendas::app`) called directly, without HTTP, on a fresh database:
//! SQLite by default, PostgreSQL with `TEST_DATABASE_URL` (as the API tests).

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod catalog;
mod sales;
mod users;

use sistema_vendas::app::{self, Context};
use sistema_vendas::domain::catalog::{NewProduct, ProductDetails, Unit};
use sistema_vendas::domain::money::Money;
use sistema_vendas::domain::users::{Actor, NewUser, Role};

/// A migrated database with its first administrator, and the use cases' context on it.
pub struct Shop {
    pub ctx: Context,
    pub admin: Actor,
    _database: helpers::TestDatabase,
}

impl Shop {
    pub async fn open() -> Shop {
        let (url, database) = helpers::fresh_database().await;
        let config = helpers::test_config(&url, &[]);
        let db = sistema_vendas::connect(&config).await.unwrap();
        db.migrate().await.unwrap();
        let ctx = sistema_vendas::context(db, &config).await.unwrap();
        assert!(app::users::ensure_first_admin(&ctx, "segredo1".into()).await.unwrap());
        let admin = Shop::actor(&ctx, "admin", "segredo1").await;
        Shop { ctx, admin, _database: database }
    }

    /// The actor a login of `username` gives.
    pub async fn actor(ctx: &Context, username: &str, password: &str) -> Actor {
        let signed_in =
            app::auth::login(ctx, username, password.into(), app::auth::UnknownNames::CheckDecoy, "127.0.0.1")
                .await
                .unwrap();
        let (actor, _) = app::auth::session(ctx, signed_in.user.id, signed_in.session_version).await.unwrap();
        actor
    }

    pub async fn employee(&self, username: &str) -> Actor {
        let new =
            NewUser { username: username.into(), password: "senha123".into(), role: Role::Funcionario, stores: None };
        app::users::create(&self.ctx, &self.admin, new).await.unwrap();
        Shop::actor(&self.ctx, username, "senha123").await
    }

    /// A product in a new category, with `stock` units at `cents`.
    pub async fn product(&self, name: &str, cents: i64, stock: i64) -> i64 {
        let category =
            app::catalog::create_category(&self.ctx, &self.admin, &format!("Categoria de {name}")).await.unwrap();
        let details = ProductDetails {
            name: name.into(),
            code: None,
            description: None,
            price: Money::from_cents(cents),
            min_stock: 5,
            category_id: category.id,
            unit: Unit::Un,
            cost: None,
            active: true,
            barcodes: Vec::new(),
        };
        app::catalog::create_product(&self.ctx, &self.admin, NewProduct { details, stock, store_id: None })
            .await
            .unwrap()
            .id
    }

    pub async fn stock(&self, product: i64) -> i64 {
        app::catalog::product(&self.ctx, product, None).await.unwrap().stock
    }
}
