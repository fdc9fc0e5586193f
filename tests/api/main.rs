//! Black-box tests of the HTTP API through real HTTP against the real server. Run on SQLite by
//! default and on PostgreSQL with `TEST_DATABASE_URL=postgres://...` (see the README).

mod helpers;

mod audit;
mod auth;
mod backup;
mod barcodes;
mod caching;
mod cash;
mod catalog_csv;
mod categories;
mod checkout;
mod concurrency;
mod connections;
mod contract;
mod customers;
mod database_loss;
mod demo;
mod first_version;
mod fuzzing;
mod https_redirect;
mod instance;
mod json_depth;
mod ledger;
mod login_limits;
mod money;
mod moving;
mod offline;
mod openapi;
mod operations;
mod permissions;
mod photos;
mod production;
mod products;
mod reports;
mod robustness;
mod sales;
mod schema;
mod security;
mod startup;
mod stock;
mod stores;
mod summary;
mod tcp_proxy;
mod text_input;
mod users;
