//! The shop's settings, and what is made from them: the PIX code of an amount, a receipt sent
//! to the thermal printer.

use super::{Context, Result, audit};
use crate::db;
use crate::domain::DomainError;
use crate::domain::audit::{self as log, Action, NewEntry};
use crate::domain::money::Money;
use crate::domain::pix::{self, PixKey};
use crate::domain::receipt;
use crate::domain::sales::SaleStatus;
use crate::domain::settings::{Settings, SettingsChanges};
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;
use crate::printer;

/// Every signed-in user reads them: the PDV needs the discount limit, the PIX and printing
/// settings, and receipts the shop's name. In a store (`store_id`, one the user works in): with
/// its own receipt data, PIX and printer where it has them.
pub async fn get(ctx: &Context, actor: &Actor, store_id: Option<i64>) -> Result<Settings> {
    let Some(store_id) = store_id else { return Ok(db::settings::get(&ctx.db.read).await?) };
    let mut tx = ctx.db.begin_snapshot().await?;
    db::stores::workplace(&mut tx, actor.user_id().unwrap_or(0), actor.is_admin()).await?.readable(store_id)?;
    store_settings(&mut tx, store_id).await
}

/// The shop's settings as a store has them.
async fn store_settings(tx: &mut db::Tx, store_id: i64) -> Result<Settings> {
    let own = db::stores::settings(&mut **tx, store_id).await?.ok_or(DomainError::StoreNotFound)?;
    Ok(db::settings::get(&mut **tx).await?.at_store(own))
}

/// Changes some settings (administrators), in one transaction.
pub async fn update(ctx: &Context, actor: &Actor, changes: SettingsChanges) -> Result<Settings> {
    actor.require_admin()?;
    if changes.is_empty() {
        return Err(DomainError::NothingToChange.into());
    }
    let mut tx = ctx.db.begin().await?;
    let before = db::settings::get(&mut *tx).await?;
    let before_view = audit::settings_view(&before);
    let settings = changes.apply(before);
    let changed = log::changes(&before_view, &audit::settings_view(&settings));
    let now = Timestamp::now();
    db::settings::save(&mut *tx, &settings, now).await?;
    audit::commit(ctx, tx, &[NewEntry::new(&audit::who(actor), Action::SettingsChanged, None, changed)]).await?;
    Ok(Settings { updated_at: Some(now), ..settings })
}

/// A static PIX code for `amount` (none: the payer types it), as the BR Code text and its QR
/// code in SVG; to the store's key when it has its own.
pub async fn pix(
    ctx: &Context,
    actor: &Actor,
    store_id: Option<i64>,
    amount: Option<Money>,
    txid: Option<&str>,
) -> Result<(String, String)> {
    let settings = get(ctx, actor, store_id).await?;
    let (Some(key), Some(name), Some(city)) =
        (settings.pix_key, settings.pix_merchant_name, settings.pix_merchant_city)
    else {
        return Err(DomainError::PixNotConfigured.into());
    };
    let key = PixKey::parse(&key).map_err(DomainError::from)?;
    let payload = pix::payload(&key, &name, &city, amount, txid).map_err(DomainError::from)?;
    let svg = pix::qr_svg(&payload);
    Ok((payload, svg))
}

/// Sends a sale's receipt to the thermal printer of its store's settings, as ESC/POS; a cash
/// sale that stands opens the drawer when the settings say so.
pub async fn print_receipt(ctx: &Context, actor: &Actor, sale_id: i64) -> Result<()> {
    let sale = super::sales::get(ctx, actor, sale_id).await?;
    let settings = store_settings(&mut ctx.db.begin_snapshot().await?, sale.store_id).await?;
    let address = settings.printer_address.clone().ok_or(DomainError::PrinterNotConfigured)?;
    let when = sale.timestamp.to_utc().with_timezone(&ctx.calendar.tz).format("%d/%m/%Y %H:%M").to_string();
    let rows = receipt::layout(&receipt::of_sale(&sale, &settings, when), settings.printer_columns as usize);
    let cash = sale.payments.iter().any(|p| p.method == crate::domain::sales::PaymentMethod::Dinheiro);
    let drawer = settings.open_drawer && cash && sale.status == SaleStatus::Completed;
    printer::send(&address, &printer::escpos(&rows, drawer))
        .await
        .map_err(|e| DomainError::PrinterFailed(e.to_string()).into())
}
