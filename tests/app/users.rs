use sistema_vendas::app::{self, Error};
use sistema_vendas::domain::DomainError;
use sistema_vendas::domain::users::{Actor, NewUser, Role, UserChanges};

use crate::Shop;

#[tokio::test]
async fn the_last_active_administrator_stays_one() {
    let shop = Shop::open().await;
    let Actor::User { id: admin, .. } = shop.admin else { unreachable!() };
    let demote = UserChanges { role: Some(Role::Funcionario), ..UserChanges::default() };
    let refused = app::users::update(&shop.ctx, &Actor::Operator, admin, demote.clone()).await;
    assert!(matches!(refused, Err(Error::Refused(DomainError::LastAdmin))), "{refused:?}");
    let myself = app::users::delete(&shop.ctx, &shop.admin, admin).await;
    assert!(matches!(myself, Err(Error::Refused(DomainError::CannotDeleteSelf))), "{myself:?}");

    let second = NewUser { username: "gerente".into(), password: "senha123".into(), role: Role::Admin, stores: None };
    app::users::create(&shop.ctx, &Actor::Operator, second).await.unwrap();
    let demoted = app::users::update(&shop.ctx, &Actor::Operator, admin, demote).await.unwrap();
    assert_eq!(demoted.role, Role::Funcionario);
}

#[tokio::test]
async fn a_new_password_ends_the_sessions_of_the_user() {
    let shop = Shop::open().await;
    let cashier = shop.employee("caixa").await;
    let id = cashier.user_id().unwrap();
    let signed_in =
        app::auth::login(&shop.ctx, "caixa", "senha123".into(), app::auth::UnknownNames::CheckDecoy, "127.0.0.1")
            .await
            .unwrap();
    let version = app::auth::change_password(&shop.ctx, &cashier, "senha123".into(), "nova-senha".into()).await;
    let version = version.unwrap();
    assert_ne!(version, signed_in.session_version);
    let old = app::auth::session(&shop.ctx, id, signed_in.session_version).await;
    assert!(matches!(old, Err(Error::Refused(DomainError::SessionEnded))), "{old:?}");
    assert!(app::auth::session(&shop.ctx, id, version).await.is_ok());
    let wrong =
        app::auth::login(&shop.ctx, "caixa", "senha123".into(), app::auth::UnknownNames::CheckDecoy, "127.0.0.1").await;
    assert!(matches!(wrong, Err(Error::Refused(DomainError::WrongPassword { .. }))), "{wrong:?}");
}

#[tokio::test]
async fn names_are_unique_and_follow_the_rules() {
    let shop = Shop::open().await;
    shop.employee("caixa").await;
    let again =
        NewUser { username: " caixa ".into(), password: "senha123".into(), role: Role::Funcionario, stores: None };
    let taken = app::users::create(&shop.ctx, &shop.admin, again).await;
    assert!(matches!(taken, Err(Error::Refused(DomainError::UserExists))), "{taken:?}");
    let short = NewUser { username: "novo".into(), password: "123".into(), role: Role::Funcionario, stores: None };
    let refused = app::users::create(&shop.ctx, &shop.admin, short).await;
    assert!(matches!(refused, Err(Error::Refused(DomainError::PasswordTooShort))), "{refused:?}");
    let unknown =
        app::auth::login(&shop.ctx, "ninguem", "x".into(), app::auth::UnknownNames::Refuse, "127.0.0.1").await;
    assert!(matches!(unknown, Err(Error::Refused(DomainError::UnknownUsername))), "{unknown:?}");
}
